import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode } from '../../../src/modules/psu-identity/index.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isValidIban } from '../../../src/core/identifiers.ts';
import { generateSandboxBank, type SandboxDataset } from '../../../src/modules/sandbox/index.ts';
import { EURO_AREA_COUNTRIES } from '../../../src/modules/sandbox/euro-area.ts';
import { SPECS_DIR } from '../../support/openapi.ts';

const AS_OF = new Date('2025-03-14T15:26:53.589Z');
const SMALL = { customers: 6, months: 3, seed: 42, asOf: AS_OF } as const;
const SPEC = path.join(SPECS_DIR, 'uk-obie', 'v4.0', 'account-info-openapi.json');

type Schema = { $ref?: string; pattern?: string; properties?: Record<string, Schema>; oneOf?: Schema[]; anyOf?: Schema[]; allOf?: Schema[]; items?: Schema };

/** The regex OB v4.0 gives a standing order's `Frequency`, found by following the schema's $refs. */
function standingOrderFrequencyPattern(): RegExp {
  const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as { components: { schemas: Record<string, Schema> } };
  const resolve = (node: Schema): Schema => (node.$ref ? resolve(spec.components.schemas[node.$ref.replace('#/components/schemas/', '')]!) : node);
  const find = (node: Schema, underFrequency: boolean, depth: number): string | undefined => {
    if (depth > 12) return undefined;
    const schema = resolve(node);
    if (underFrequency && schema.pattern) return schema.pattern;
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      const found = find(child, underFrequency || name === 'Frequency', depth + 1);
      if (found) return found;
    }
    for (const child of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? []), ...(schema.items ? [schema.items] : [])]) {
      const found = find(child, underFrequency, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  const pattern = find(spec.components.schemas['OBStandingOrder6']!, false, 0);
  assert.ok(pattern, 'the spec defines a Frequency pattern for standing orders');
  return new RegExp(pattern);
}


const time = (value: Date | string): number => new Date(value).getTime();

function customerAccounts(dataset: SandboxDataset) {
  return dataset.accounts.filter((a) => a.holder_kind !== 'Internal');
}

/** The ledger and statement invariants every generated bank must keep. */
function assertInvariants(dataset: SandboxDataset): void {
  const accounts = new Map(dataset.accounts.map((a) => [a.id, a]));

  // Double entry: every entry balances per currency, in the accounts' own currencies.
  const postingsByEntry = new Map<string, typeof dataset.postings>();
  for (const posting of dataset.postings) {
    const account = accounts.get(posting.account_id);
    assert.ok(account, `posting to unknown account ${posting.account_id}`);
    assert.equal(posting.currency, account.currency);
    assert.notEqual(posting.amount_minor, 0n);
    const list = postingsByEntry.get(posting.entry_id) ?? [];
    list.push(posting);
    postingsByEntry.set(posting.entry_id, list);
  }
  assert.equal(postingsByEntry.size, dataset.journalEntries.length);
  for (const entry of dataset.journalEntries) {
    const postings = postingsByEntry.get(entry.id) ?? [];
    assert.ok(postings.length >= 2, `entry ${entry.id} has at least two postings`);
    const sums = new Map<string, bigint>();
    for (const p of postings) sums.set(p.currency, (sums.get(p.currency) ?? 0n) + p.amount_minor);
    for (const [currency, sum] of sums) assert.equal(sum, 0n, `entry ${entry.id} balances in ${currency}`);
  }
  for (let i = 1; i < dataset.journalEntries.length; i++) {
    assert.ok(time(dataset.journalEntries[i - 1]!.booked_at) <= time(dataset.journalEntries[i]!.booked_at), 'entries are in time order');
  }

  // Running balances never pass the overdraft; stored balances are the sums of postings.
  const entryOrder = new Map(dataset.journalEntries.map((e, i) => [e.id, i]));
  const running = new Map<string, bigint>();
  const ordered = [...dataset.postings].sort((a, b) => entryOrder.get(a.entry_id)! - entryOrder.get(b.entry_id)!);
  for (const posting of ordered) {
    const account = accounts.get(posting.account_id)!;
    const balance = (running.get(account.id) ?? 0n) + posting.amount_minor;
    running.set(account.id, balance);
    if (!account.allow_negative) assert.ok(balance >= -account.overdraft_limit_minor!, `${account.id} stays within its overdraft (${balance})`);
  }
  const totals = new Map<string, bigint>();
  for (const account of dataset.accounts) {
    assert.equal(account.balance_minor, running.get(account.id) ?? 0n, `balance of ${account.id}`);
    totals.set(account.currency, (totals.get(account.currency) ?? 0n) + account.balance_minor!);
  }
  for (const [currency, total] of totals) assert.equal(total, 0n, `the bank's ${currency} books sum to zero`);

  // One statement line per customer posting, each with the balance after it.
  const booked = dataset.transactions.filter((t) => t.status === 'Booked');
  const customerPostings = dataset.postings.filter((p) => !accounts.get(p.account_id)!.allow_negative);
  assert.equal(booked.length, customerPostings.length);
  const lineBalance = new Map<string, bigint>();
  for (const line of booked) {
    const account = accounts.get(line.account_id)!;
    assert.notEqual(account.holder_kind, 'Internal');
    assert.ok(line.amount_minor > 0n);
    assert.ok(line.entry_id && entryOrder.has(line.entry_id));
    const signed = line.credit_debit === 'Credit' ? line.amount_minor : -line.amount_minor;
    const balance = (lineBalance.get(line.account_id) ?? 0n) + signed;
    lineBalance.set(line.account_id, balance);
    assert.equal(line.balance_after_minor, balance, `balance after line ${line.id}`);
  }
  for (const account of customerAccounts(dataset)) assert.equal(lineBalance.get(account.id) ?? 0n, account.balance_minor);

  // Pending card authorisations: recent, unbooked, reflected in pending_minor only.
  const pendingSums = new Map<string, bigint>();
  for (const line of dataset.transactions.filter((t) => t.status === 'Pending')) {
    assert.equal(line.entry_id, null);
    assert.equal(line.balance_after_minor, null);
    assert.equal(line.credit_debit, 'Debit');
    const at = time(line.booking_at);
    assert.ok(at <= time(dataset.options.asOf) && at > time(dataset.options.asOf) - 48 * 3600_000, 'pending within the last two days');
    pendingSums.set(line.account_id, (pendingSums.get(line.account_id) ?? 0n) - line.amount_minor);
  }
  for (const account of dataset.accounts) {
    assert.equal(account.pending_minor, pendingSums.get(account.id) ?? 0n);
    if (!account.allow_negative) assert.ok(account.balance_minor! + account.pending_minor! + account.overdraft_limit_minor! >= 0n, 'holds fit the available balance');
  }

  // Statements add up and agree with the lines in their period.
  const byAccount = new Map<string, typeof dataset.statements>();
  for (const statement of dataset.statements) {
    assert.equal(statement.closing_balance_minor, statement.opening_balance_minor + statement.total_credits_minor - statement.total_debits_minor);
    const lines = booked.filter((l) => l.account_id === statement.account_id && time(l.booking_at) >= time(statement.start_at) && time(l.booking_at) <= time(statement.end_at));
    const credits = lines.filter((l) => l.credit_debit === 'Credit');
    const debits = lines.filter((l) => l.credit_debit === 'Debit');
    assert.equal(statement.credit_count, credits.length);
    assert.equal(statement.debit_count, debits.length);
    assert.equal(statement.total_credits_minor, credits.reduce((s, l) => s + l.amount_minor, 0n));
    assert.equal(statement.total_debits_minor, debits.reduce((s, l) => s + l.amount_minor, 0n));
    if (lines.length > 0) assert.equal(statement.closing_balance_minor, lines.at(-1)!.balance_after_minor);
    assert.ok(time(statement.end_at) <= time(dataset.options.asOf));
    const list = byAccount.get(statement.account_id) ?? [];
    list.push(statement);
    byAccount.set(statement.account_id, list);
  }
  for (const list of byAccount.values()) {
    for (let i = 1; i < list.length; i++) assert.equal(list[i]!.opening_balance_minor, list[i - 1]!.closing_balance_minor, 'statements chain');
  }
}

describe('generateSandboxBank', () => {
  const small = generateSandboxBank(SMALL);

  it('is a pure function of its options', () => {
    assert.deepStrictEqual(generateSandboxBank({ ...SMALL, asOf: new Date(AS_OF.getTime()) }), small);
  });

  it('gives another bank for another seed', () => {
    const other = generateSandboxBank({ ...SMALL, seed: 43 });
    assert.notDeepStrictEqual(other, small);
    assert.notDeepStrictEqual(other.psus.map((p) => p.password), small.psus.map((p) => p.password));
  });

  it('rejects sizes outside the supported range', () => {
    assert.throws(() => generateSandboxBank({ ...SMALL, customers: 4 }), RangeError);
    assert.throws(() => generateSandboxBank({ ...SMALL, customers: 10_001 }), RangeError);
    assert.throws(() => generateSandboxBank({ ...SMALL, months: 0 }), RangeError);
    assert.throws(() => generateSandboxBank({ ...SMALL, months: 61 }), RangeError);
  });

  it('publishes a distinct login per customer with a 20-byte base32 TOTP secret', () => {
    // The UK customers asked for, then one EU customer per euro-area country.
    assert.equal(small.psus.length, SMALL.customers + EURO_AREA_COUNTRIES.length);
    assert.equal(new Set(small.psus.map((p) => p.username)).size, small.psus.length);
    for (const psu of small.psus) {
      assert.match(psu.username, /^[a-z]+\.[a-z]+\d*$/);
      assert.match(psu.password, /^[A-Z][a-z]+-[A-Z][a-z]+-\d{4}$/);
      assert.match(psu.totpSecret, /^[A-Z2-7]+$/);
      assert.equal(base32Decode(psu.totpSecret)?.length, 20);
      const party = small.parties.find((p) => p.id === psu.partyId);
      assert.equal(party?.party_kind, 'Person');
      assert.equal(party?.name, psu.name);
    }
  });

  it('lets exactly one PSU reach each customer account, and every PSU at least one', () => {
    const psuByParty = new Map(small.psus.map((p) => [p.partyId, p.username]));
    const reach = new Map<string, Set<string>>();
    for (const holder of small.accountHolders) {
      const username = psuByParty.get(holder.party_id);
      if (!username) continue;
      const set = reach.get(holder.account_id) ?? new Set();
      set.add(username);
      reach.set(holder.account_id, set);
    }
    for (const account of customerAccounts(small)) assert.equal(reach.get(account.id)?.size, 1, `account ${account.id} has one PSU`);
    for (const psu of small.psus) assert.ok([...reach.values()].some((s) => s.has(psu.username)));
    for (const holder of small.accountHolders.filter((h) => h.role === 'Delegate')) {
      assert.ok(small.accountHolders.some((h) => h.account_id === holder.account_id && h.role === 'Owner' && !psuByParty.has(h.party_id)), 'delegates act for an organisation owner');
    }
  });

  it('covers every product, and internal accounts per currency', () => {
    const products = new Set(small.accounts.map((a) => a.product_id));
    for (const product of small.products) assert.ok(products.has(product.id), `some account uses ${product.name}`);
    for (const currency of ['GBP', 'EUR']) {
      for (const purpose of ['clearing', 'card-settlement', 'cash', 'fees', 'interest']) {
        const account = small.accounts.find((a) => a.id === `gl-${purpose}-${currency}`);
        assert.equal(account?.holder_kind, 'Internal');
        assert.equal(account?.allow_negative, true);
        assert.equal(account?.iban, null);
      }
    }
  });

  it('gives every UK customer account a valid, unique UK identification', () => {
    const accounts = customerAccounts(small);
    const euAccounts = new Set(small.accountHolders.filter((h) => small.psus.some((p) => p.market === 'EU' && p.partyId === h.party_id)).map((h) => h.account_id));
    for (const account of accounts.filter((a) => !euAccounts.has(a.id))) {
      assert.match(account.sort_code!, /^\d{6}$/);
      assert.match(account.account_number!, /^\d{8}$/);
      assert.ok(isValidIban(account.iban!), `valid IBAN ${account.iban}`);
      assert.equal(account.status, 'Enabled');
      assert.ok(time(account.opened_at) < time(AS_OF) - SMALL.months * 28 * 86_400_000, 'opened before the history');
    }
    // Card accounts are known by their card alone (no IBAN); every payment account has its own IBAN.
    const paymentAccounts = accounts.filter((a) => !a.card_masked_pan);
    assert.equal(new Set(paymentAccounts.map((a) => a.iban)).size, paymentAccounts.length);
    assert.equal(new Set(paymentAccounts.filter((a) => !euAccounts.has(a.id)).map((a) => a.account_number)).size, paymentAccounts.filter((a) => !euAccounts.has(a.id)).length);
  });

  it('keeps the ledger and the statements consistent', () => {
    assertInvariants(small);
  });

  it('books card purchases with merchant codes and masked card numbers', () => {
    const cards = small.transactions.filter((t) => t.bank_transaction_subcode === 'PointOfSale');
    assert.ok(cards.length > 20);
    for (const line of cards) {
      assert.match(line.merchant_category_code!, /^\d{4}$/);
      // A debit card's number shows its last four digits; a credit card's its issuer's six first too.
      assert.match(line.card_masked_pan!, /^(\*{12}|\d{6}\*{6})\d{4}$/);
      assert.ok(line.merchant_name);
    }
    const kinds = new Set(small.journalEntries.map((e) => e.kind));
    for (const kind of ['opening-deposit', 'salary', 'standing-order', 'direct-debit', 'card-purchase', 'interest', 'invoice-receipt', 'top-up']) {
      assert.ok(kinds.has(kind), `history has ${kind}`);
    }
  });

  it('uses OB v4.0 Frequency values for standing orders and direct debits', () => {
    const pattern = standingOrderFrequencyPattern();
    assert.doesNotMatch('Monthly', pattern);
    assert.doesNotMatch('IntrvlMnthDay:01:32', pattern);
    assert.ok(small.standingOrders.length >= SMALL.customers);
    for (const order of [...small.standingOrders, ...small.directDebits]) assert.match(order.frequency, pattern);
    for (const order of small.standingOrders) {
      assert.ok(time(order.next_payment_at!) > time(AS_OF));
      assert.match(order.creditor_identification, order.creditor_scheme === 'iban' ? /^[A-Z]{2}\d{2}[A-Z0-9]+$/ : /^\d{14}$/);
    }
  });

  it("records each direct debit's last collection as posted", () => {
    for (const debit of small.directDebits) {
      const collections = small.transactions.filter((t) => t.account_id === debit.account_id && t.reference === debit.mandate_identification);
      const last = collections.at(-1);
      assert.ok(last, `direct debit ${debit.mandate_identification} was collected`);
      assert.equal(last.bank_transaction_code, 'IssuedDirectDebits');
      assert.equal(time(debit.previous_payment_at!), time(last.booking_at));
      assert.equal(debit.previous_payment_minor, last.amount_minor);
    }
  });

  it('has payees and future scheduled payments for every current account', () => {
    for (const account of customerAccounts(small).filter((a) => a.sub_type === 'CurrentAccount' && a.currency === 'GBP')) {
      const payees = small.beneficiaries.filter((b) => b.account_id === account.id);
      assert.ok(payees.length >= 2 && payees.length <= 4, `2-4 payees, got ${payees.length}`);
      for (const payee of payees) {
        if (payee.creditor_scheme === 'iban') assert.ok(isValidIban(payee.creditor_identification));
        else assert.match(payee.creditor_identification, /^\d{14}$/);
      }
      const scheduled = small.scheduledPayments.filter((s) => s.account_id === account.id);
      assert.ok(scheduled.length >= 1 && scheduled.length <= 2);
      for (const payment of scheduled) {
        assert.equal(payment.status, 'Scheduled');
        assert.ok(time(payment.scheduled_at) > time(AS_OF));
      }
    }
  });

  it('keeps the invariants on a larger bank', () => {
    const started = performance.now();
    const large = generateSandboxBank({ customers: 20, months: 12, seed: 7, asOf: AS_OF });
    const ms = performance.now() - started;
    assert.ok(ms < 5000, `generated in ${ms.toFixed(0)} ms`);
    assertInvariants(large);
  });
});
