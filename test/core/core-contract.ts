import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CoreBanking, PaymentSubmission } from '../../src/core/index.ts';

/**
 * What a core adapter's test set-up provides: the adapter, and a way to have an account of the
 * bank hold a balance (a real core's sandbox, the ledger's own tables).
 */
export interface CoreContractFixture {
  readonly core: CoreBanking;
  /** A new enabled GBP account of a customer, holding `balanceMinor`; its identification for payments. */
  openFundedAccount(balanceMinor: bigint): Promise<{ accountId: string; scheme: string; identification: string }>;
  /**
   * A new customer with a GBP payment account and a GBP card account (limit 1,500.00) on which
   * one purchase of 9.90 made as 12.50 USD at a rate of 0.792 is booked.
   */
  openCardAccount(): Promise<{ partyId: string; paymentAccountId: string; cardAccountId: string; maskedPan: string }>;
}

/**
 * The contract every core-banking adapter passes (src/core/ports): payment execution idempotent by
 * external reference with its answer and status, funds checks, transactions paged by opaque
 * cursors, account orders recorded and listed. Call inside a `describe` per adapter and backend.
 */
export function coreContract(fixture: () => CoreContractFixture): void {
  const submission = (debtor: string, creditor: string | undefined, amountMinor: bigint): PaymentSubmission => ({
    externalRef: `contract:${randomUUID()}`,
    kind: 'domestic-payment',
    debtor: { accountId: debtor, name: 'Contract Payer' },
    creditor: { ...(creditor ? { accountId: creditor } : {}), name: 'Contract Payee', scheme: 'SortCodeAccountNumber', identification: '99999912345678' },
    amount: { amountMinor, currency: 'GBP' },
    reference: 'CONTRACT',
    requestedAt: new Date(),
  });

  it('submit is idempotent by externalRef: a repeat gets the same booking and moves no money again', async () => {
    const { core, openFundedAccount } = fixture();
    const debtor = await openFundedAccount(10_00n);
    const creditor = await openFundedAccount(0n);
    const request = submission(debtor.accountId, creditor.accountId, 2_50n);
    const first = await core.submit(request);
    const again = await core.submit(request);
    assert.equal(first.outcome, 'accepted');
    assert.equal(again.outcome, 'accepted');
    assert.ok(first.outcome === 'accepted' && again.outcome === 'accepted' && first.coreRef === again.coreRef);
    assert.equal((await core.getBalances(debtor.accountId))!.bookedMinor, 7_50n);
    assert.equal((await core.getBalances(creditor.accountId))!.bookedMinor, 2_50n);
    assert.equal((await core.paymentStatus(request.externalRef))?.status, 'booked');
  });

  it('a payment leaving the bank (no creditor account) debits the payer once', async () => {
    const { core, openFundedAccount } = fixture();
    const debtor = await openFundedAccount(5_00n);
    const request = submission(debtor.accountId, undefined, 1_00n);
    assert.equal((await core.submit(request)).outcome, 'accepted');
    assert.equal((await core.submit(request)).outcome, 'accepted');
    assert.equal((await core.getBalances(debtor.accountId))!.bookedMinor, 4_00n);
  });

  it('refuses what the payer cannot pay (insufficient-funds) and the same account (same-account), moving nothing', async () => {
    const { core, openFundedAccount } = fixture();
    const debtor = await openFundedAccount(1_00n);
    const creditor = await openFundedAccount(0n);
    assert.deepEqual(await core.submit(submission(debtor.accountId, creditor.accountId, 1_01n)), { outcome: 'rejected', reason: 'insufficient-funds' });
    assert.deepEqual(await core.submit(submission(debtor.accountId, debtor.accountId, 10n)), { outcome: 'rejected', reason: 'same-account' });
    assert.equal((await core.getBalances(debtor.accountId))!.bookedMinor, 1_00n);
    assert.equal(await core.paymentStatus(`contract:${randomUUID()}`), undefined, 'an unknown reference has no status');
  });

  it('submitAll, where the core offers it, answers each payment as submit would, in order, against the balances the ones before it left', async (t) => {
    const { core, openFundedAccount } = fixture();
    if (!core.submitAll) return t.skip('this core takes payments one by one');
    const debtor = await openFundedAccount(5_00n);
    const creditor = await openFundedAccount(0n);
    const repeated = submission(debtor.accountId, creditor.accountId, 1_00n);
    assert.equal((await core.submit(repeated)).outcome, 'accepted');
    const batch = [
      submission(debtor.accountId, creditor.accountId, 2_00n),
      repeated,
      submission(debtor.accountId, creditor.accountId, 2_50n), // 2.00 left after the first: refused alone
      submission(debtor.accountId, debtor.accountId, 10n),
      submission(debtor.accountId, undefined, 1_50n),
      submission(creditor.accountId, debtor.accountId, 3_00n), // the creditor pays out of what this batch paid in
    ];
    const answers = await core.submitAll(batch);
    assert.deepEqual(
      answers.map((a) => (a.outcome === 'accepted' ? a.status.status : a.reason)),
      ['booked', 'booked', 'insufficient-funds', 'same-account', 'booked', 'booked'],
    );
    const first = await core.paymentStatus(repeated.externalRef);
    assert.ok(answers[1]!.outcome === 'accepted' && first?.status === 'booked' && answers[1]!.coreRef === first.coreRef, 'a repeat is answered with the first booking');
    assert.equal(await core.paymentStatus(batch[2]!.externalRef), undefined, 'a refused payment leaves no trace');
    assert.equal((await core.getBalances(debtor.accountId))!.bookedMinor, 5_00n - 1_00n - 2_00n - 1_50n + 3_00n);
    assert.equal((await core.getBalances(creditor.accountId))!.bookedMinor, 1_00n + 2_00n - 3_00n);
    // Each statement line carries the balance after its own payment, not after the batch.
    const lines = (await core.listTransactions([debtor.accountId], { limit: 10 }))!.items;
    assert.deepEqual(
      lines.map((line) => [line.creditDebit, line.amount.amountMinor, line.balanceAfterMinor]).reverse(),
      [['Credit', 5_00n, 5_00n], ['Debit', 1_00n, 4_00n], ['Debit', 2_00n, 2_00n], ['Debit', 1_50n, 50n], ['Credit', 3_00n, 3_50n]],
    );
  });

  it('getAccountOverviews answers in one read what getAccount, listAccountHolders and getBalances answer of each account; nothing for an unknown account', async () => {
    const { core, openFundedAccount } = fixture();
    const [first, second] = [await openFundedAccount(3_21n), await openFundedAccount(0n)];
    const unknown = `unknown-${randomUUID()}`;
    const overviews = await core.getAccountOverviews([first.accountId, second.accountId, unknown]);
    assert.deepEqual([...overviews.keys()].sort(), [first.accountId, second.accountId].sort());
    for (const { accountId } of [first, second]) {
      const overview = overviews.get(accountId)!;
      assert.deepEqual(overview.account, await core.getAccount(accountId));
      assert.deepEqual(overview.holders, await core.listAccountHolders(accountId));
      const { asOf, ...balances } = (await core.getBalances(accountId))!;
      assert.ok(asOf instanceof Date);
      assert.deepEqual({ ...overview.balances, asOf: undefined }, { ...balances, asOf: undefined });
    }
    assert.equal(overviews.get(first.accountId)!.balances.bookedMinor, 3_21n);
    assert.equal((await core.getAccountOverviews([])).size, 0);
  });

  it('checks funds against the balance, in the account currency', async () => {
    const { core, openFundedAccount } = fixture();
    const account = await openFundedAccount(3_00n);
    assert.equal(await core.checkFunds(account.accountId, { amountMinor: 3_00n, currency: 'GBP' }), true);
    assert.equal(await core.checkFunds(account.accountId, { amountMinor: 3_01n, currency: 'GBP' }), false);
    assert.equal(await core.checkFunds(account.accountId, { amountMinor: 1n, currency: 'EUR' }), false);
  });

  it('pages transactions with opaque cursors: each once, newest first, stable while new ones are booked; a forged cursor is unknown', async () => {
    const { core, openFundedAccount } = fixture();
    const debtor = await openFundedAccount(100_00n);
    const creditor = await openFundedAccount(0n);
    for (let i = 1; i <= 5; i++) await core.submit(submission(debtor.accountId, creditor.accountId, BigInt(i)));
    const first = (await core.listTransactions([creditor.accountId], { limit: 2 }))!;
    assert.equal(first.total, 5);
    assert.equal(first.index, 0);
    const seen = first.items.map((t) => t.amount.amountMinor);
    // Booked after the first page: not part of this listing.
    await core.submit(submission(debtor.accountId, creditor.accountId, 99n));
    for (let cursor = first.cursors.next; cursor; ) {
      const page = (await core.listTransactions([creditor.accountId], { limit: 2, cursor }))!;
      seen.push(...page.items.map((t) => t.amount.amountMinor));
      cursor = page.cursors.next;
    }
    assert.deepEqual(seen, [5n, 4n, 3n, 2n, 1n]);
    assert.equal(await core.listTransactions([creditor.accountId], { limit: 2, cursor: 'forged-cursor' }), undefined);
  });

  it("getTransaction answers a transaction of the account as its listing does; nothing for another account's or an unknown id", async () => {
    const { core, openFundedAccount } = fixture();
    const debtor = await openFundedAccount(10_00n);
    const creditor = await openFundedAccount(0n);
    await core.submit(submission(debtor.accountId, creditor.accountId, 2_50n));
    const [debit] = (await core.listTransactions([debtor.accountId], { limit: 1 }))!.items;
    const [credit] = (await core.listTransactions([creditor.accountId], { limit: 1 }))!.items;
    assert.deepEqual(await core.getTransaction(debtor.accountId, debit!.id), debit);
    assert.deepEqual(await core.getTransaction(creditor.accountId, credit!.id), credit);
    assert.equal(await core.getTransaction(creditor.accountId, debit!.id), undefined, "the debtor's line is not the creditor's");
    assert.equal(await core.getTransaction(debtor.accountId, credit!.id), undefined);
    assert.equal(await core.getTransaction(debtor.accountId, `unknown-${randomUUID()}`), undefined);
  });

  it("lists a party's card accounts apart from its payment accounts, with the card; a card transaction carries its card details", async () => {
    const { core, openCardAccount } = fixture();
    const { partyId, paymentAccountId, cardAccountId, maskedPan } = await openCardAccount();
    assert.deepEqual((await core.listAccountsOfParty(partyId)).map((a) => a.id), [paymentAccountId], 'payment accounts only');
    const cards = await core.listCardAccountsOfParty(partyId);
    assert.deepEqual(cards.map((a) => [a.id, a.subType, a.currency, a.card]), [[cardAccountId, 'CreditCard', 'GBP', { maskedPan, creditLimitMinor: 1500_00n }]]);
    assert.equal((await core.getAccount(paymentAccountId))!.card, undefined, 'a payment account has no card');
    assert.deepEqual(await core.listCardAccountsOfParty(`unknown-${randomUUID()}`), []);
    const overview = (await core.getAccountOverviews([cardAccountId])).get(cardAccountId)!;
    assert.deepEqual(overview.account, cards[0]);
    assert.deepEqual([overview.balances.bookedMinor, overview.balances.overdraftLimitMinor], [-9_90n, 1500_00n], 'what is owed, within the limit');
    assert.equal(overview.holders[0]?.party.id, partyId);
    const [purchase] = (await core.listTransactions([cardAccountId], { limit: 10 }))!.items;
    assert.deepEqual(
      [purchase!.creditDebit, purchase!.amount, purchase!.cardMaskedPan, purchase!.merchantName, purchase!.originalAmount, purchase!.exchangeRate, purchase!.cardAcceptorId],
      ['Debit', { amountMinor: 9_90n, currency: 'GBP' }, maskedPan, 'Blue Bottle Coffee', { amountMinor: 12_50n, currency: 'USD' }, '0.792', 'BBC-SF-0042'],
    );
    assert.ok(purchase!.transactedAt instanceof Date && purchase!.transactedAt < purchase!.bookingAt, 'used before it was booked');
    assert.deepEqual(await core.getTransaction(cardAccountId, purchase!.id), purchase);
  });

  it('records an account order by its id and lists it; a later state replaces the earlier one', async () => {
    const { core, openFundedAccount } = fixture();
    const account = await openFundedAccount(0n);
    const order = {
      id: `so-${randomUUID()}`,
      accountId: account.accountId,
      frequency: 'EvryDay',
      reference: 'RENT',
      firstPaymentAt: new Date('2026-06-01T09:00:00Z'),
      nextPaymentAt: new Date('2026-06-01T09:00:00Z'),
      lastPaymentAt: null,
      finalPaymentAt: null,
      amount: { amountMinor: 5_00n, currency: 'GBP' },
      creditorName: 'Landlord',
      creditorScheme: 'SortCodeAccountNumber',
      creditorIdentification: '99999912345678',
      status: 'Active' as const,
    };
    await core.recordOrder({ standingOrder: order });
    await core.recordOrder({ standingOrder: { ...order, status: 'Inactive', nextPaymentAt: null } });
    const orders = await core.listStandingOrders(account.accountId);
    assert.equal(orders.length, 1);
    assert.equal(orders[0]!.status, 'Inactive');
    assert.equal(orders[0]!.nextPaymentAt, null);
  });
}
