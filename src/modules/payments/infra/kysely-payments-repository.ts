import type { ExchangeRateTerms } from '../../../core/fx/index.ts';
import { sql } from 'kysely';
import { executorOf, ownTables, transactionOf, type Db, type Row } from '../../../platform/db/index.ts';
import type { PersonalDataCipher } from '../../../platform/keystore/index.ts';
import { kindColumnOf } from '../payment-kind-column.ts';
import type { PaymentsRepository } from '../payments.repository.port.ts';
import { decryptedOrderRows, encryptedOrderFields } from './order-personal-data.ts';
import { toDomesticPayment } from './payment-row.ts';
import type { PaymentsTables } from './payments.tables.ts';

/** Payments in `payments` (every kind, `kind` the stored name) and their rates in `payment_exchange_rates`. */
export function createKyselyPaymentsRepository(database: Db, cipher: PersonalDataCipher): PaymentsRepository {
  const db = ownTables<PaymentsTables>(database);
  const trx = (tx: Parameters<typeof transactionOf>[0]) => transactionOf<PaymentsTables>(tx);
  // Debtor and creditor names and identifications are encrypted at rest (order-personal-data.ts).
  const toPayments = async (rows: readonly Row<'payments'>[]) => (await decryptedOrderRows('payments', rows, cipher)).map(toDomesticPayment);
  const toPayment = async (row: Row<'payments'>) => (await toPayments([row]))[0]!;
  return {
    async insertPending(tx, payment, now) {
      const row = await trx(tx)
        .insertInto('payments')
        .values(encryptedOrderFields('payments', {
          id: payment.id,
          kind: kindColumnOf(payment),
          consent_id: payment.consentId,
          client_id: payment.clientId,
          psu_id: payment.psuId,
          status: 'pending' as const,
          status_reason_code: null,
          status_reason: null,
          created_at: now,
          status_updated_at: now,
          debtor_account_id: payment.debtorAccountId,
          debtor_scheme: payment.debtor?.scheme ?? null,
          debtor_identification: payment.debtor?.identification ?? null,
          debtor_name: payment.debtor?.name ?? null,
          creditor_account_id: payment.creditorAccountId,
          amount_minor: payment.amountMinor,
          currency: payment.currency,
          creditor_name: payment.creditor.name,
          creditor_scheme: payment.creditor.scheme,
          creditor_identification: payment.creditor.identification,
          reference: payment.reference,
          share_refund_account: payment.shareRefundAccount,
          core_ref: null,
          sent_to_core_at: null,
          executed_at: null,
        }, cipher))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPayment(row);
    },

    async find(id, options = {}) {
      let query = executorOf<PaymentsTables>(database, options.tx).selectFrom('payments').selectAll().where('id', '=', id);
      if (options.type) query = query.where('kind', '=', kindColumnOf(options.type));
      const row = await query.executeTakeFirst();
      return row && toPayment(row);
    },

    async findOfConsent(consentId) {
      const row = await db.selectFrom('payments').selectAll().where('consent_id', '=', consentId).orderBy('created_at').limit(1).executeTakeFirst();
      return row && toPayment(row);
    },

    async lock(tx, id) {
      const row = await trx(tx).selectFrom('payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      return row && { payment: await toPayment(row), sentToCoreAt: row.sent_to_core_at };
    },

    async lockOfConsent(tx, consentId) {
      const row = await trx(tx).selectFrom('payments').selectAll().where('consent_id', '=', consentId).orderBy('created_at').limit(1).forUpdate().executeTakeFirst();
      return row && { payment: await toPayment(row), sentToCoreAt: row.sent_to_core_at };
    },

    async markSentToCore(ids, at) {
      if (ids.length === 0) return [];
      // Evaluated on the row as a concurrent cancellation left it (PostgreSQL re-reads an updated row): a cancelled payment is never handed over.
      const rows = await db
        .updateTable('payments')
        .set((eb) => ({ sent_to_core_at: eb.case().when('status', '=', 'pending').then(eb.fn.coalesce('sent_to_core_at', eb.val(at))).else(eb.ref('sent_to_core_at')).end() }))
        .where('id', 'in', ids)
        .returningAll()
        .execute();
      return toPayments(rows);
    },

    async recordConversion(tx, id, amountMinor, at) {
      const row = await trx(tx).updateTable('payments').set({ amount_minor: amountMinor, sent_to_core_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toPayment(row);
    },

    async recordOutcomes(tx, outcomes, now) {
      if (outcomes.length === 0) return [];
      const values = sql.join(
        outcomes.map(({ id, outcome }) => sql`(${id}, ${outcome.status}, ${outcome.reason?.code ?? null}, ${outcome.reason?.description ?? null}, ${outcome.coreRef ?? null})`),
      );
      const { rows } = await sql<Row<'payments'>>`
        UPDATE payments AS p
        SET status = v.status, status_reason_code = v.code, status_reason = v.reason, status_updated_at = ${now},
            core_ref = v.core_ref, executed_at = CASE WHEN v.core_ref IS NULL THEN NULL ELSE ${now}::timestamptz END
        FROM (VALUES ${values}) AS v(id, status, code, reason, core_ref)
        WHERE p.id = v.id AND p.status = 'pending'
        RETURNING p.*`.execute(trx(tx));
      return toPayments(rows);
    },

    async cancel(tx, id, now) {
      const row = await trx(tx)
        .updateTable('payments')
        .set({ status: 'cancelled', status_updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('sent_to_core_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row && toPayment(row);
    },

    async markSettled(tx, id, now) {
      const row = await trx(tx).updateTable('payments').set({ status: 'settled', status_updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toPayment(row);
    },

    async recurringSince(consentId, since, tx) {
      const made = await executorOf<PaymentsTables>(database, tx)
        .selectFrom('payments')
        .select(['amount_minor', 'created_at'])
        .where('consent_id', '=', consentId)
        .where('kind', '=', 'domestic-vrp')
        .where('status', '!=', 'rejected')
        .where('created_at', '>=', since)
        .execute();
      return made.map((p) => ({ amountMinor: BigInt(p.amount_minor), createdAt: p.created_at }));
    },

    async saveExchangeRate(tx, ownerId, terms) {
      const stored = { ...terms, ...(terms.expiresAt ? { expiresAt: terms.expiresAt.toISOString() } : {}) };
      await trx(tx).insertInto('payment_exchange_rates').values({ owner_id: ownerId, terms: JSON.stringify(stored) }).execute();
    },

    async findExchangeRate(ownerId, tx) {
      const row = await executorOf<PaymentsTables>(database, tx).selectFrom('payment_exchange_rates').select('terms').where('owner_id', '=', ownerId).executeTakeFirst();
      if (!row) return undefined;
      const stored = (typeof row.terms === 'string' ? JSON.parse(row.terms) : row.terms) as Record<string, unknown>;
      return { ...stored, ...(typeof stored['expiresAt'] === 'string' ? { expiresAt: new Date(stored['expiresAt']) } : {}) } as unknown as ExchangeRateTerms;
    },
  };
}
