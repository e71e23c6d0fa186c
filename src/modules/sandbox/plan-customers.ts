import { BANK_BIC, composeIban, ukIban } from '../../core/identifiers.ts';
import type { NewRow } from '../../platform/db/index.ts';
import { base32Encode } from '../psu-identity/index.ts';
import { addDays, addMonths, HOUR_MS, MINUTE_MS, monthlyDates, startOfDay, weeklyDates } from './calendar.ts';
import type { Prng } from './prng.ts';
import {
  BIG_TICKET_MERCHANTS, DIRECT_DEBIT_ORIGINATORS, EMPLOYERS, EUR_IBAN_COUNTRIES, FAMILY_RELATIONS, FIRST_NAMES, LANDLORDS, MERCHANTS,
  MORTGAGE_LENDERS, PASSWORD_WORDS, SMALL_BUSINESSES, STREETS, SURNAMES, TOWNS, BUSINESS_CLIENTS, BUSINESS_SUPPLIERS,
  type DirectDebitKind,
} from './sandbox-catalogue.ts';
import type { AccountKind, AccountPlan, BusinessPlan, Counterparty, CustomerPlan, DirectDebitPlan, SandboxMarket, StandingOrderPlan } from './sandbox-plan.ts';

export const PRODUCT_IDS = {
  current: 'PCA-GBP',
  business: 'BCA-GBP',
  saver: 'SAVER-GBP',
  eur: 'FCA-EUR',
  'euro-current': 'PCA-EUR',
} as const satisfies Record<AccountKind, string>;

/** The bank's branches; every account sits at one of them. */
const BRANCH_SORT_CODES = ['040004', '040011', '040026', '040075'] as const;
/** Leading digits of other UK banks' sort codes, for counterparties outside the bank. */
const OTHER_BANK_PREFIXES = ['20', '30', '40', '60', '77', '83', '09', '11', '16', '23'] as const;

const SCAN = 'sort-code-account' as const;

export interface SandboxPsu {
  readonly userId: string;
  readonly username: string;
  readonly password: string;
  /** RFC 4648 base32 without padding of a 20-byte secret (RFC 6238, SHA-1, 6 digits, 30 s). */
  readonly totpSecret: string;
  readonly name: string;
  readonly partyId: string;
  readonly position: number;
  readonly market: SandboxMarket;
}

export interface PlannedCustomers {
  readonly plans: CustomerPlan[];
  readonly parties: NewRow<'bank_parties'>[];
  readonly accounts: AccountPlan[];
  readonly holders: NewRow<'bank_account_holders'>[];
  readonly psus: SandboxPsu[];
}

export function externalScan(prng: Prng, name: string): Counterparty {
  return { name, scheme: SCAN, identification: `${prng.pick(OTHER_BANK_PREFIXES)}${prng.digits(4)}${prng.digits(8)}` };
}

export function externalIban(prng: Prng, name: string): Counterparty {
  const shape = prng.pick(EUR_IBAN_COUNTRIES);
  const bban = `${shape.bankCode}${prng.digits(shape.digits)}`;
  return { name, scheme: 'iban', identification: composeIban(shape.country, bban) };
}

/** Decides who the customers are and what they hold; the history is simulated from these plans. */
export function planCustomers(prng: Prng, customers: number, windowStart: Date): PlannedCustomers {
  const plans: CustomerPlan[] = [];
  const parties: NewRow<'bank_parties'>[] = [];
  const accounts: AccountPlan[] = [];
  const holders: NewRow<'bank_account_holders'>[] = [];
  const psus: SandboxPsu[] = [];
  const usernames = new Set<string>();
  const accountNumbers = new Set<string>();
  let businessCount = 0;

  const newAccount = (kind: Exclude<AccountKind, 'euro-current'>, holderName: string, sortCode: string, openedAt: Date, overdraftLimitMinor: bigint): AccountPlan => {
    let accountNumber: string;
    do accountNumber = String(prng.int(10_000_000, 99_999_999));
    while (accountNumbers.has(accountNumber));
    accountNumbers.add(accountNumber);
    const plan: AccountPlan = {
      id: prng.id(),
      kind,
      currency: kind === 'eur' ? 'EUR' : 'GBP',
      productId: PRODUCT_IDS[kind],
      name: holderName,
      nickname: { current: 'Everyday', saver: 'Rainy day', eur: 'Euro wallet', business: 'Business' }[kind],
      sortCode,
      accountNumber,
      iban: ukIban(sortCode, accountNumber),
      bic: BANK_BIC,
      openedAt,
      overdraftLimitMinor,
      maskedPan: kind === 'saver' ? null : `************${prng.digits(4)}`,
      asCounterparty: { name: holderName, scheme: SCAN, identification: `${sortCode}${accountNumber}` },
    };
    accounts.push(plan);
    return plan;
  };

  for (let position = 0; position < customers; position++) {
    const firstName = prng.pick(FIRST_NAMES);
    const lastName = prng.pick(SURNAMES);
    const fullName = `${firstName} ${lastName}`;
    const base = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
    let username = base;
    for (let suffix = 2; usernames.has(username); suffix++) username = `${base}${suffix}`;
    usernames.add(username);

    const place = prng.pick(TOWNS);
    const sortCode = prng.pick(BRANCH_SORT_CODES);
    // Accounts open a few weeks before the history starts, so the window begins with their first deposits.
    const partyCreatedAt = new Date(startOfDay(addDays(windowStart, -prng.int(21, 40))).getTime() + prng.int(9, 16) * HOUR_MS);
    const openedAt = (): Date => new Date(partyCreatedAt.getTime() + prng.int(0, 19) * 24 * HOUR_MS + prng.int(0, 59) * MINUTE_MS);

    const personPartyId = prng.id();
    parties.push({
      id: personPartyId,
      party_number: `P${String(position + 1).padStart(6, '0')}`,
      party_kind: 'Person',
      name: fullName,
      full_legal_name: fullName,
      legal_structure: null,
      email: `${username}@example.com`,
      phone: null,
      mobile: `+447700900${prng.digits(3)}`,
      address: JSON.stringify({ addressLine: [`${prng.int(1, 180)} ${prng.pick(STREETS)}`], townName: place.town, postCode: prng.pick(place.postCodes), country: 'GB' }),
      created_at: partyCreatedAt,
    });

    const current = newAccount('current', fullName, sortCode, openedAt(), prng.pick([0n, 50_000n, 100_000n]));
    holders.push({ account_id: current.id, party_id: personPartyId, role: 'Owner' });
    // The first few customers always cover every product, so even the smallest sandbox shows them all.
    const saver = prng.chance(0.5) || position === 1 ? newAccount('saver', fullName, sortCode, openedAt(), 0n) : null;
    if (saver) holders.push({ account_id: saver.id, party_id: personPartyId, role: 'Owner' });
    const eur = prng.chance(0.25) || position === 2 ? newAccount('eur', fullName, sortCode, openedAt(), 0n) : null;
    if (eur) holders.push({ account_id: eur.id, party_id: personPartyId, role: 'Owner' });

    let business: BusinessPlan | null = null;
    if (position % 3 === 2) {
      const template = prng.pick(SMALL_BUSINESSES);
      const partyId = prng.id();
      businessCount++;
      parties.push({
        id: partyId,
        party_number: `B${String(businessCount).padStart(6, '0')}`,
        party_kind: 'Organisation',
        name: template.name,
        full_legal_name: template.legalStructure === 'Sole Trader' ? `${fullName} trading as ${template.name}` : template.name,
        legal_structure: template.legalStructure,
        email: `accounts@${template.name.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}.example`,
        phone: `+44113496${prng.digits(4)}`,
        mobile: null,
        address: JSON.stringify({ addressLine: [`Unit ${prng.int(1, 40)}`, `${prng.pick(STREETS)} Trading Estate`], townName: place.town, postCode: prng.pick(place.postCodes), country: 'GB' }),
        created_at: partyCreatedAt,
      });
      const account = newAccount('business', template.name, sortCode, openedAt(), prng.pick([0n, 250_000n]));
      holders.push({ account_id: account.id, party_id: partyId, role: 'Owner' });
      holders.push({ account_id: account.id, party_id: personPartyId, role: 'Delegate' });
      const suppliers = distinct(prng, BUSINESS_SUPPLIERS, prng.int(2, 4)).map((name) => externalScan(prng, name));
      business = { partyId, name: template.name, account, clients: distinct(prng, BUSINESS_CLIENTS, prng.int(3, 6)), suppliers, drawingsMinor: prng.bigint(1_500_00n, 4_000_00n) };
    }

    const salaryMinor = prng.bigint(1_700_00n, 3_900_00n);
    const standingOrders: StandingOrderPlan[] = [];
    const mortgage = prng.chance(0.35);
    const housingDay = prng.pick([1, 1, 1, 15, 28]);
    standingOrders.push({
      id: prng.id(),
      account: current,
      frequency: `IntrvlMnthDay:01:${String(housingDay).padStart(2, '0')}`,
      schedule: { kind: 'monthly', day: housingDay },
      hour: 7,
      // Housing stays under ~45% of take-home pay so that most months end in credit.
      amountMinor: roundTo(prng.bigint((salaryMinor * 28n) / 100n, (salaryMinor * 45n) / 100n), 500n),
      reference: mortgage ? `MORTGAGE ${prng.digits(8)}` : `RENT ${prng.int(1, 60)} ${prng.pick(STREETS).toUpperCase()}`,
      creditor: externalScan(prng, mortgage ? prng.pick(MORTGAGE_LENDERS) : prng.pick(LANDLORDS)),
      creditorAccount: null,
      description: mortgage ? 'Mortgage payment' : 'Rent',
    });
    if (saver && prng.chance(0.5)) {
      const day = prng.int(1, 28);
      standingOrders.push({
        id: prng.id(),
        account: current,
        frequency: `IntrvlMnthDay:01:${String(day).padStart(2, '0')}`,
        schedule: { kind: 'monthly', day },
        hour: 8,
        amountMinor: prng.pick([5_000n, 10_000n, 15_000n, 20_000n, 25_000n]),
        reference: 'SAVINGS',
        creditor: saver.asCounterparty,
        creditorAccount: saver,
        description: 'Transfer to Instant Saver',
      });
    }
    const relation = prng.pick(FAMILY_RELATIONS);
    const family = externalScan(prng, `${prng.pick(FIRST_NAMES)} ${lastName}`);
    if (prng.chance(0.3)) {
      standingOrders.push({
        id: prng.id(),
        account: current,
        frequency: 'IntrvlWkDay:01:05',
        schedule: { kind: 'weekly', isoWeekday: 5 },
        hour: 9,
        amountMinor: prng.pick([1_000n, 1_500n, 2_000n, 2_500n, 4_000n]),
        reference: `FOR ${relation.toUpperCase()}`,
        creditor: family,
        creditorAccount: null,
        description: `Weekly payment to ${family.name}`,
      });
    }

    const directDebits = planDirectDebits(prng, current, place.town);
    const favouriteMerchants = distinct(prng, MERCHANTS, prng.int(8, 16));
    plans.push({
      market: 'UK',
      position,
      fullName,
      town: place.town,
      personPartyId,
      current,
      saver,
      eur,
      business,
      employer: externalScan(prng, prng.pick(EMPLOYERS)),
      salaryMinor,
      payday: prng.pick([25, 26, 28, 28, 15]),
      externalCurrent: externalScan(prng, fullName),
      externalEur: externalIban(prng, fullName),
      standingOrders,
      directDebits,
      family,
      cardPurchasesPerWeek: prng.int(4, 10),
      favouriteMerchants,
      merchants: MERCHANTS,
      bigTicketMerchants: BIG_TICKET_MERCHANTS,
    });

    const words = distinct(prng, PASSWORD_WORDS, 2);
    psus.push({
      userId: prng.id(),
      username,
      password: `${words[0]}-${words[1]}-${prng.int(1000, 9999)}`,
      totpSecret: base32Encode(prng.bytes(20)),
      name: fullName,
      partyId: personPartyId,
      position,
      market: 'UK',
    });
  }
  return { plans, parties, accounts, holders, psus };
}

function planDirectDebits(prng: Prng, account: AccountPlan, town: string): DirectDebitPlan[] {
  const extra: DirectDebitKind[] = ['water', 'phone', 'broadband', 'streaming', 'insurance', 'gym'];
  const kinds: DirectDebitKind[] = ['council-tax', 'energy', ...distinct(prng, extra, prng.int(1, 3))];
  return kinds.map((kind) => {
    const originator = prng.pick(DIRECT_DEBIT_ORIGINATORS.filter((o) => o.kind === kind));
    return {
      id: prng.id(),
      account,
      originatorName: kind === 'council-tax' ? `${town} Council` : originator.name,
      kind,
      mandateId: `${originator.mandatePrefix}${prng.digits(9)}`,
      day: prng.int(1, 28),
      baseMinor: prng.bigint(originator.minMinor, originator.maxMinor),
      variable: originator.variable,
    };
  });
}

/** `count` different items, in a random order. */
export function distinct<T>(prng: Prng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(prng.int(0, pool.length - 1), 1)[0] as T);
  return out;
}

export function roundTo(value: bigint, step: bigint): bigint {
  return (value / step) * step;
}

/** The first occurrence of a standing order's schedule strictly after `after`. */
export function nextOccurrence(plan: StandingOrderPlan, after: Date): Date {
  const { schedule } = plan;
  const candidates =
    schedule.kind === 'weekly'
      ? weeklyDates(after, addDays(after, 8), schedule.isoWeekday, plan.hour, 0)
      : monthlyDates(after, addMonths(after, 2), schedule.day, plan.hour, 0);
  const date = candidates[0];
  if (!date) throw new Error(`standing order ${plan.id} has no occurrence after ${after.toISOString()}`);
  return date;
}
