import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Account, AccountTransaction, CoreBanking, TransactionQuery } from '../../../src/core/index.ts';
import { AccountErrors } from '../../../src/modules/accounts/index.ts';
import { AccountReads } from '../../../src/modules/accounts/account-reads.ts';
import type { AccessScope, Consent } from '../../../src/modules/consents/index.ts';
import { MemoryCache } from '../../../src/platform/cache/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';

const failsWith = (code: string) => (error: unknown) => isAppError(error) && error.code === code;

const account = (id: string, iban: string, sortCode: string, accountNumber: string): Account => ({
  id,
  holderKind: 'Personal',
  subType: 'CurrentAccount',
  currency: 'GBP',
  name: id,
  nickname: null,
  sortCode,
  accountNumber,
  iban,
  bic: null,
  status: 'Enabled',
  openedAt: new Date('2025-01-01T00:00:00Z'),
  productId: null,
});

const card: Account = { ...account('card-c', '', '', ''), subType: 'CreditCard', sortCode: null, accountNumber: null, iban: null, card: { maskedPan: '525412******3241', creditLimitMinor: 1500_00n } };

const ACCOUNTS = new Map([
  ['acc-a', account('acc-a', 'GB33BUKB20201555555555', '202015', '55555555')],
  ['acc-b', account('acc-b', 'GB94BARC10201530093459', '102015', '30093459')],
  ['card-c', card],
]);

const transaction = (id: string, accountId: string, creditDebit: 'Credit' | 'Debit', bookingAt: string): AccountTransaction => ({
  id,
  accountId,
  status: 'Booked',
  creditDebit,
  amount: { amountMinor: 1_00n, currency: 'GBP' },
  bookingAt: new Date(bookingAt),
  valueAt: new Date(bookingAt),
  balanceAfterMinor: null,
  description: id,
  bankTransactionCode: 'ReceivedCreditTransfer',
  bankTransactionSubcode: 'DomesticCreditTransfer',
});

/** The core's transactions, each on its account. */
const TRANSACTIONS = new Map([
  ['t-credit', transaction('t-credit', 'acc-a', 'Credit', '2026-01-15T12:00:00Z')],
  ['t-debit', transaction('t-debit', 'acc-a', 'Debit', '2026-01-15T12:00:00Z')],
  ['t-early', transaction('t-early', 'acc-a', 'Credit', '2026-01-05T12:00:00Z')],
  ['t-of-b', transaction('t-of-b', 'acc-b', 'Credit', '2026-01-15T12:00:00Z')],
]);

const balancesOf = (id: string) => ({ accountId: id, currency: 'GBP', bookedMinor: 100n, availableMinor: 100n, pendingMinor: 0n, overdraftLimitMinor: 0n, asOf: new Date() });

/** A core without events (every read goes through to it), recording the transaction queries it is asked. */
function fakeCore(queries: TransactionQuery[]): CoreBanking {
  return {
    emitsEvents: false,
    getAccount: async (id: string) => ACCOUNTS.get(id),
    listAccountHolders: async () => [],
    getBalances: async (id: string) => balancesOf(id),
    getAccountOverviews: async (ids: readonly string[]) =>
      new Map(ids.flatMap((id) => (ACCOUNTS.has(id) ? [[id, { account: ACCOUNTS.get(id)!, holders: [], balances: balancesOf(id) }] as const] : []))),
    getTransaction: async (accountId: string, id: string) => (TRANSACTIONS.get(id)?.accountId === accountId ? TRANSACTIONS.get(id) : undefined),
    listTransactions: async (_ids: readonly string[], query: TransactionQuery) => {
      queries.push(query);
      return { items: [], total: 0, index: 0, cursors: { first: 'f', last: 'l' }, firstBookingAt: undefined, lastBookingAt: undefined };
    },
  } as unknown as CoreBanking;
}

/** Public ids as the refs repository would mint and keep them. */
function memoryRefs() {
  const publicIds = new Map<string, string>();
  return {
    claimPublicIds: async (proposed: ReadonlyMap<string, string>) => {
      for (const [accountId, publicId] of proposed) if (!publicIds.has(accountId)) publicIds.set(accountId, publicId);
      return new Map([...proposed.keys()].map((accountId) => [accountId, publicIds.get(accountId) as string]));
    },
    findAccountId: async (publicId: string) => [...publicIds].find(([, id]) => id === publicId)?.[0],
  };
}

function readsOf(queries: TransactionQuery[] = []) {
  const readModel = { find: async () => undefined, refresh: async () => undefined, storeIfAbsent: async () => undefined };
  return new AccountReads({ refs: memoryRefs(), readModel, cache: new MemoryCache(), core: fakeCore(queries) });
}

function consentWith(scope: Partial<AccessScope>, extra: Partial<Consent> = {}): Consent {
  const full: AccessScope = {
    clusters: { accounts: 'detail', balances: 'basic', transactions: 'detail' },
    directions: { credits: true, debits: true },
    window: { from: null, to: null },
    accounts: 'psu-selects',
    ...scope,
  };
  return { id: 'c-1', kind: 'account-access', status: 'authorised', accountIds: ['acc-a', 'acc-b'], transactionFrom: null, transactionTo: null, purpose: { type: 'account-access', scope: full }, ...extra } as Consent;
}

/** The public AccountId the TPP sees for each account, as an accounts read exposes them. */
async function publicIdsOf(reads: AccountReads, consent: Consent): Promise<Map<string, string>> {
  return new Map((await reads.accounts(consent)).map((exposed) => [exposed.accountId, exposed.accountRef]));
}

describe('AIS reads enforce the access scope', () => {
  it('attack: a card account is not read as a payment account, nor a payment account as a card account', async () => {
    const reads = readsOf();
    const both = consentWith({ accountKinds: ['payment', 'card'] }, { accountIds: ['acc-a', 'card-c'] });
    const ids = await publicIdsOf(reads, both);
    assert.equal(await reads.resolveAccount(both, ids.get('card-c')!, 'balances', undefined, 'card'), 'card-c');
    assert.equal(await reads.resolveAccount(both, ids.get('acc-a')!, 'balances'), 'acc-a');
    await assert.rejects(reads.resolveAccount(both, ids.get('card-c')!, 'balances'), failsWith(AccountErrors.NOT_IN_CONSENT.code), 'a card id on the payment accounts');
    await assert.rejects(reads.resolveAccount(both, ids.get('acc-a')!, 'balances', undefined, 'card'), failsWith(AccountErrors.NOT_IN_CONSENT.code), 'a payment account id on the card accounts');
    assert.deepEqual(await reads.ofKind('card', both.accountIds), ['card-c']);
    assert.deepEqual(await reads.ofKind('payment', both.accountIds), ['acc-a']);
  });

  it('names a card account by its masked number or by a full number its visible digits fit, never by another card', async () => {
    const reads = readsOf();
    const byMask = consentWith({ accountKinds: ['card'], accounts: { named: { accounts: [{ scheme: 'MaskedPAN', identification: '525412******3241' }] } } }, { accountIds: ['acc-a', 'card-c'] });
    assert.deepEqual(await reads.readableAccounts(byMask, 'accounts'), ['card-c']);
    const byPan = consentWith({ accountKinds: ['card'], accounts: { named: { accounts: [{ scheme: 'PAN', identification: '5254 1299 8877 3241' }] } } }, { accountIds: ['card-c'] });
    assert.deepEqual(await reads.readableAccounts(byPan, 'accounts'), ['card-c']);
    const otherCard = consentWith({ accountKinds: ['card'], accounts: { named: { accounts: [{ scheme: 'PAN', identification: '5254129988773242' }, { scheme: 'MaskedPAN', identification: '525412******3242' }] } } }, { accountIds: ['card-c'] });
    assert.deepEqual(await reads.readableAccounts(otherCard, 'accounts'), []);
  });

  it('attack: reading an account the PSU selected but the scope does not name for balances is refused like an unknown one', async () => {
    const reads = readsOf();
    const named = consentWith({
      accounts: { named: { accounts: [{ scheme: 'IBAN', identification: 'GB33 BUKB 2020 1555 5555 55' }, { scheme: 'IBAN', identification: 'GB94BARC10201530093459' }], balances: [{ scheme: 'IBAN', identification: 'GB33BUKB20201555555555' }] } },
    });
    const ids = await publicIdsOf(reads, named);
    assert.equal(await reads.resolveAccount(named, ids.get('acc-a')!, 'balances'), 'acc-a', 'the named account reads, its IBAN matched spaces aside');
    await assert.rejects(reads.resolveAccount(named, ids.get('acc-b')!, 'balances'), failsWith(AccountErrors.NOT_IN_CONSENT.code));
    assert.deepEqual(await reads.readableAccounts(named, 'balances'), ['acc-a'], 'a bulk read leaves the unnamed account out');
    assert.deepEqual(await reads.readableAccounts(named, 'accounts'), ['acc-a', 'acc-b'], 'both are named for the account details');
  });

  it('attack: an account named for transactions only is not read for a statement of transactions (every kind the resource reads must name it)', async () => {
    const reads = readsOf();
    const named = consentWith({
      clusters: { accounts: 'basic', statements: 'basic', transactions: 'detail' },
      accounts: { named: { accounts: [{ scheme: 'SortCodeAccountNumber', identification: '20201555555555' }], transactions: [{ scheme: 'SortCodeAccountNumber', identification: '202015-55555555' }] } },
    });
    const ids = await publicIdsOf(reads, named);
    assert.equal(await reads.resolveAccount(named, ids.get('acc-a')!, 'transactions'), 'acc-a');
    await assert.rejects(reads.resolveAccount(named, ids.get('acc-a')!, 'statement-transactions'), failsWith(AccountErrors.NOT_IN_CONSENT.code));
  });

  it('attack: an account outside the consent is refused even when the scope names it', async () => {
    const reads = readsOf();
    const onlyA = consentWith({ accounts: { named: { accounts: [{ scheme: 'IBAN', identification: 'GB94BARC10201530093459' }], balances: [{ scheme: 'IBAN', identification: 'GB94BARC10201530093459' }] } } }, { accountIds: ['acc-a'] });
    const ids = await publicIdsOf(reads, consentWith({}));
    await assert.rejects(reads.resolveAccount(onlyA, ids.get('acc-b')!, 'balances'), failsWith(AccountErrors.NOT_IN_CONSENT.code));
    assert.deepEqual(await reads.readableAccounts(onlyA, 'balances'), [], 'acc-a is in the consent but not named');
  });

  it('all accounts and the PSU\'s selection read every account of the consent', async () => {
    const reads = readsOf();
    for (const accounts of ['all-accounts', 'psu-selects'] as const) {
      const consent = consentWith({ accounts });
      const ids = await publicIdsOf(reads, consent);
      assert.equal(await reads.resolveAccount(consent, ids.get('acc-b')!, 'balances'), 'acc-b');
      assert.deepEqual(await reads.readableAccounts(consent, 'balances'), ['acc-a', 'acc-b']);
    }
  });

  it('attack: transactions outside the scope\'s window are never asked of the core, whatever range the TPP asks for', async () => {
    const queries: TransactionQuery[] = [];
    const reads = readsOf(queries);
    const from = new Date('2026-01-10T00:00:00Z');
    const to = new Date('2026-01-20T00:00:00Z');
    // The scope's window decides, not the consent's legacy columns.
    const consent = consentWith({ window: { from, to } }, { transactionFrom: null, transactionTo: null });
    await reads.transactions(consent, ['acc-a'], { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    await reads.transactions(consent, ['acc-a'], {});
    for (const query of queries) {
      assert.deepEqual([query.from, query.to], [from, to]);
    }
    await reads.transactions(consent, ['acc-a'], { from: new Date('2026-01-12T00:00:00Z') });
    assert.deepEqual(queries.at(-1)?.from, new Date('2026-01-12T00:00:00Z'), 'a narrower range inside the window stands');
    const listing = await reads.transactions(consent, ['acc-a'], { from: new Date('2026-02-01T00:00:00Z') });
    assert.equal(queries.length, 3, 'a range wholly after the window asks the core nothing');
    assert.deepEqual(listing.items, []);
  });

  it("attack: one transaction is read only as the listing would show it — inside the scope's window, in a permitted direction, of the account named", async () => {
    const reads = readsOf();
    const window = { from: new Date('2026-01-10T00:00:00Z'), to: new Date('2026-01-20T00:00:00Z') };
    const creditsOnly = consentWith({ window, directions: { credits: true, debits: false } });
    const read = await reads.transaction(creditsOnly, 'acc-a', 't-credit');
    assert.deepEqual([read.id, read.accountId, typeof read.accountRef], ['t-credit', 'acc-a', 'string']);
    for (const [accountId, id, why] of [
      ['acc-a', 't-debit', 'a debit under a consent for credits only'],
      ['acc-a', 't-early', "booked before the scope's window"],
      ['acc-a', 't-of-b', "another account's transaction"],
      ['acc-a', 'no-such-transaction', 'an unknown id'],
      ['acc-a', 'x'.repeat(65), 'an id longer than any the core gives'],
    ] as const) {
      await assert.rejects(reads.transaction(creditsOnly, accountId, id), failsWith(AccountErrors.TRANSACTION_NOT_FOUND.code), why);
    }
    assert.equal((await reads.transaction(consentWith({}), 'acc-a', 't-debit')).id, 't-debit', 'both directions, no window: read');
  });
});
