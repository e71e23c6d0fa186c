import type { NewRow } from '../../platform/db/index.ts';
import { base32Encode } from '../psu-identity/index.ts';
import { addDays, HOUR_MS, MINUTE_MS, startOfDay } from './calendar.ts';
import { branchIban, EURO_AREA_BRANCHES, externalIbanIn } from './euro-area.ts';
import { distinct, PRODUCT_IDS, roundTo, type PlannedCustomers, type SandboxPsu } from './plan-customers.ts';
import type { Prng } from './prng.ts';
import { PASSWORD_WORDS, type DirectDebitKind } from './sandbox-catalogue.ts';
import { EU_BIG_TICKET_MERCHANTS, EU_COUNTRIES, type EuCountryCatalogue } from './sandbox-eu-catalogue.ts';
import type { AccountPlan, CustomerPlan, DirectDebitPlan, StandingOrderPlan } from './sandbox-plan.ts';

export interface EuCustomersContext {
  /** Position (and party number) of the first EU customer: they follow the UK ones. */
  readonly firstPosition: number;
  /** Logins already given out, which the EU customers' must not repeat. */
  readonly usernames: ReadonlySet<string>;
}

/**
 * The EU customers: one living in each euro-area country of the catalogue, so that every country's
 * IBANs are there to try, each with an everyday euro account at the bank's branch in that country.
 * They get no savings or business accounts: what they are for is the euro-area payment APIs.
 */
export function planEuCustomers(prng: Prng, windowStart: Date, context: EuCustomersContext): PlannedCustomers {
  const out: PlannedCustomers = { plans: [], parties: [], accounts: [], holders: [], psus: [] };
  const usernames = new Set(context.usernames);
  const ibans = new Set<string>();
  EU_COUNTRIES.forEach((catalogue, i) => planEuCustomer(prng, windowStart, catalogue, context.firstPosition + i, usernames, ibans, out));
  return out;
}

function planEuCustomer(prng: Prng, windowStart: Date, catalogue: EuCountryCatalogue, position: number, usernames: Set<string>, ibans: Set<string>, out: PlannedCustomers): void {
  const { country } = catalogue;
  const firstName = prng.pick(catalogue.firstNames);
  const lastName = prng.pick(catalogue.surnames);
  const fullName = `${firstName} ${lastName}`;
  const username = uniqueUsername(firstName, lastName, usernames);

  const place = prng.pick(catalogue.towns);
  const houseNumber = prng.int(1, 120);
  const street = prng.pick(catalogue.streets);
  const addressLine = catalogue.numberFirst ? `${houseNumber} ${street}` : `${street} ${houseNumber}`;
  // As for UK customers: the account opens a few weeks before the history starts.
  const partyCreatedAt = new Date(startOfDay(addDays(windowStart, -prng.int(21, 40))).getTime() + prng.int(9, 16) * HOUR_MS);
  const openedAt = new Date(partyCreatedAt.getTime() + prng.int(0, 19) * 24 * HOUR_MS + prng.int(0, 59) * MINUTE_MS);

  const personPartyId = prng.id();
  const party: NewRow<'bank_parties'> = {
    id: personPartyId,
    party_number: `P${String(position + 1).padStart(6, '0')}`,
    party_kind: 'Person',
    name: fullName,
    full_legal_name: fullName,
    legal_structure: null,
    email: `${username}@example.com`,
    // No country offers a range of mobile numbers reserved for fiction the way Ofcom's drama range does.
    phone: null,
    mobile: null,
    address: JSON.stringify({ addressLine: [addressLine], townName: place.town, postCode: prng.pick(place.postCodes), country }),
    created_at: partyCreatedAt,
  };

  let iban: string;
  do iban = branchIban(prng, country);
  while (ibans.has(iban));
  ibans.add(iban);
  const current: AccountPlan = {
    id: prng.id(),
    kind: 'euro-current',
    currency: 'EUR',
    productId: PRODUCT_IDS['euro-current'],
    name: fullName,
    nickname: catalogue.nickname,
    sortCode: null,
    accountNumber: null,
    iban,
    bic: EURO_AREA_BRANCHES[country].bic,
    openedAt,
    overdraftLimitMinor: 0n,
    maskedPan: `************${prng.digits(4)}`,
    asCounterparty: { name: fullName, scheme: 'iban', identification: iban },
  };

  const salaryMinor = prng.bigint(...catalogue.salaryMinor);
  const mortgage = prng.chance(0.3);
  const housingDay = prng.pick([1, 1, 1, 3, 28]);
  // Rent or mortgage leaves by SEPA standing order to another bank of the same country.
  const housing: StandingOrderPlan = {
    id: prng.id(),
    account: current,
    frequency: `IntrvlMnthDay:01:${String(housingDay).padStart(2, '0')}`,
    schedule: { kind: 'monthly', day: housingDay },
    hour: 7,
    amountMinor: roundTo(prng.bigint((salaryMinor * 25n) / 100n, (salaryMinor * 40n) / 100n), 500n),
    reference: mortgage ? `${catalogue.mortgageReference} ${prng.digits(8)}` : `${catalogue.rentReference} ${addressLine.toUpperCase()}`,
    creditor: externalIbanIn(prng, country, prng.pick(mortgage ? catalogue.mortgageLenders : catalogue.landlords)),
    creditorAccount: null,
    description: mortgage ? 'Mortgage payment' : 'Rent',
  };
  const ownAccountElsewhere = externalIbanIn(prng, country, fullName);
  const plan: CustomerPlan = {
    market: 'EU',
    position,
    fullName,
    town: place.town,
    personPartyId,
    current,
    saver: null,
    eur: null,
    business: null,
    employer: externalIbanIn(prng, country, prng.pick(catalogue.employers)),
    salaryMinor,
    payday: prng.pick([25, 27, 28, 28, 30]),
    externalCurrent: ownAccountElsewhere,
    externalEur: ownAccountElsewhere,
    standingOrders: [housing],
    directDebits: planEuDirectDebits(prng, current, catalogue),
    family: externalIbanIn(prng, country, `${prng.pick(catalogue.firstNames.filter((name) => name !== firstName))} ${lastName}`),
    cardPurchasesPerWeek: prng.int(4, 10),
    favouriteMerchants: distinct(prng, catalogue.merchants, prng.int(5, 8)),
    merchants: catalogue.merchants,
    bigTicketMerchants: EU_BIG_TICKET_MERCHANTS,
  };

  const words = distinct(prng, PASSWORD_WORDS, 2);
  const psu: SandboxPsu = {
    userId: prng.id(),
    username,
    password: `${words[0]}-${words[1]}-${prng.int(1000, 9999)}`,
    totpSecret: base32Encode(prng.bytes(20)),
    name: fullName,
    partyId: personPartyId,
    position,
    market: 'EU',
  };

  out.plans.push(plan);
  out.parties.push(party);
  out.accounts.push(current);
  out.holders.push({ account_id: current.id, party_id: personPartyId, role: 'Owner' });
  out.psus.push(psu);
}

/** Energy for everyone, and one to three of the other usual SEPA direct debits. */
function planEuDirectDebits(prng: Prng, account: AccountPlan, catalogue: EuCountryCatalogue): DirectDebitPlan[] {
  const optional: DirectDebitKind[] = ['phone', 'broadband', 'insurance', 'gym', 'streaming'];
  const kinds: DirectDebitKind[] = ['energy', ...distinct(prng, optional, prng.int(1, 3))];
  return kinds.map((kind) => {
    const originator = prng.pick(catalogue.directDebits.filter((o) => o.kind === kind));
    return {
      id: prng.id(),
      account,
      originatorName: originator.name,
      kind,
      mandateId: `${originator.mandatePrefix}${prng.digits(9)}`,
      day: prng.int(1, 28),
      baseMinor: prng.bigint(originator.minMinor, originator.maxMinor),
      variable: originator.variable,
    };
  });
}

/** `first.last` in plain ASCII (accents dropped, `ß` spelt out), numbered when already taken. */
function uniqueUsername(firstName: string, lastName: string, taken: Set<string>): string {
  const base = `${firstName}.${lastName}`.normalize('NFD').toLowerCase().replace(/ß/g, 'ss').replace(/[^a-z.]/g, '');
  let username = base;
  for (let suffix = 2; taken.has(username); suffix++) username = `${base}${suffix}`;
  taken.add(username);
  return username;
}
