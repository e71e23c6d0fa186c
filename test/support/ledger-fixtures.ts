import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/index.ts';
import { LedgerCoreBanking } from '../../src/core/adapters/ledger/index.ts';

/** Opens a customer account directly in the built-in bank (tests only: no onboarding flow). */
export async function openAccount(db: Db, options: { currency?: string; overdraftMinor?: bigint; internal?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  const partyId = `party-${id}`;
  const internal = options.internal ?? false;
  await db.transaction().execute(async (trx) => {
    if (!internal) {
      await trx
        .insertInto('bank_parties')
        .values({ id: partyId, party_number: partyId, party_kind: 'Person', name: 'Test Person', full_legal_name: 'Test Person', legal_structure: null, email: null, phone: null, mobile: null, address: JSON.stringify(null), created_at: new Date() })
        .execute();
    }
    await trx
      .insertInto('bank_accounts')
      .values({
        id,
        holder_kind: internal ? 'Internal' : 'Personal',
        sub_type: internal ? 'Internal' : 'CurrentAccount',
        currency: options.currency ?? 'GBP',
        name: internal ? 'Clearing' : 'Test Person',
        nickname: null,
        sort_code: null,
        account_number: null,
        iban: null,
        bic: null,
        product_id: null,
        status: 'Enabled',
        opened_at: new Date(),
        overdraft_limit_minor: options.overdraftMinor ?? 0n,
        allow_negative: internal,
      })
      .execute();
    if (!internal) await trx.insertInto('bank_account_holders').values({ account_id: id, party_id: partyId, role: 'Owner' }).execute();
  });
  return id;
}

export const statement = (description: string) => ({ description, bankTransactionCode: 'ReceivedCreditTransfers', bankTransactionSubcode: 'DomesticCreditTransfer' });

/** Credits an account from an internal clearing account. */
export async function fund(db: Db, clearingId: string, accountId: string, amountMinor: bigint, currency = 'GBP'): Promise<void> {
  await new LedgerCoreBanking(db).transfer({
    debtorAccountId: clearingId,
    creditorAccountId: accountId,
    amount: { amountMinor, currency },
    kind: 'funding',
    debtorStatement: statement('Funding'),
    creditorStatement: statement('Funding'),
  });
}

/**
 * A person holding a GBP current account and a GBP credit card account (masked PAN, a 1,500.00
 * limit) on which one purchase made in USD is booked, against the card-settlement account given.
 */
export async function openCardAccount(db: Db, settlementId: string): Promise<{ partyId: string; paymentAccountId: string; cardAccountId: string; maskedPan: string }> {
  const paymentAccountId = await openAccount(db);
  const partyId = `party-${paymentAccountId}`;
  const cardAccountId = randomUUID();
  const maskedPan = `525412******${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('bank_accounts')
      .values({ id: cardAccountId, holder_kind: 'Personal', sub_type: 'CreditCard', currency: 'GBP', name: 'Credit Card', nickname: null, sort_code: null, account_number: null, iban: null, bic: null, product_id: null, status: 'Enabled', opened_at: new Date(), overdraft_limit_minor: 1500_00n, allow_negative: false, card_masked_pan: maskedPan })
      .execute();
    await trx.insertInto('bank_account_holders').values({ account_id: cardAccountId, party_id: partyId, role: 'Owner' }).execute();
  });
  const purchase = {
    description: 'Blue Bottle Coffee',
    bankTransactionCode: 'CustomerCardTransactions',
    bankTransactionSubcode: 'PointOfSale',
    merchantName: 'Blue Bottle Coffee',
    merchantCategoryCode: '5814',
    cardMaskedPan: maskedPan,
    transactedAt: new Date(Date.now() - 2 * 24 * 60 * 60 * 1000),
    originalAmount: { amountMinor: 12_50n, currency: 'USD' },
    exchangeRate: '0.792',
    cardAcceptorId: 'BBC-SF-0042',
  };
  await new LedgerCoreBanking(db).transfer({
    debtorAccountId: cardAccountId,
    creditorAccountId: settlementId,
    amount: { amountMinor: 9_90n, currency: 'GBP' },
    kind: 'card-purchase',
    debtorStatement: purchase,
    creditorStatement: purchase,
  });
  return { partyId, paymentAccountId, cardAccountId, maskedPan };
}

export interface LedgerCheck {
  readonly sumsByCurrency: Map<string, bigint>;
  readonly mismatchedAccounts: string[];
}

/** The ledger invariants, read straight from SQL. */
export async function checkLedger(db: Db): Promise<LedgerCheck> {
  const sums = await db.selectFrom('bank_postings').select(['currency', sql<bigint>`sum(amount_minor)::bigint`.as('total')]).groupBy('currency').execute();
  const mismatched = await db
    .selectFrom('bank_accounts as a')
    .leftJoin(
      db.selectFrom('bank_postings').select(['account_id', sql<bigint>`sum(amount_minor)::bigint`.as('total')]).groupBy('account_id').as('p'),
      'p.account_id',
      'a.id',
    )
    .select('a.id')
    .where(sql<boolean>`a.balance_minor <> coalesce(p.total, 0)`)
    .execute();
  return { sumsByCurrency: new Map(sums.map((s) => [s.currency, s.total])), mismatchedAccounts: mismatched.map((m) => m.id) };
}
