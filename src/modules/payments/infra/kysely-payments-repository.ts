import type { ExchangeRateTerms } from '../../../core/fx/index.ts';
import { executorOf, ownTables, transactionOf, type Db } from '../../../platform/db/index.ts';
import { kindColumnOf } from '../payment-kind-column.ts';
import type { PaymentsRepository } from '../payments.repository.port.ts';
import { toDomesticPayment } from './payment-row.ts';
import type { PaymentsTables } from './payments.tables.ts';

/** Payments in `payments` (every kind, `kind` the stored name) and their rates in `payment_exchange_rates`. */
export function createKyselyPaymentsRepository(database: Db): PaymentsRepository {
  const db = ownTables<PaymentsTables>(database);
  const trx = (tx: Parameters<typeof transactionOf>[0]) => transactionOf<PaymentsTables>(tx);
  return {
    async insertPending(tx, payment, now) {
      const row = await trx(tx)
        .insertInto('payments')
        .values({
          id: payment.id,
          kind: kindColumnOf(payment),
          consent_id: payment.consentId,
          client_id: payment.clientId,
          psu_id: payment.psuId,
          status: 'pending',
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
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDomesticPayment(row);
    },

    async find(id, options = {}) {
      let query = executorOf<PaymentsTables>(database, options.tx).selectFrom('payments').selectAll().where('id', '=', id);
      if (options.type) query = query.where('kind', '=', kindColumnOf(options.type));
      const row = await query.executeTakeFirst();
      return row && toDomesticPayment(row);
    },

    async lock(tx, id) {
      const row = await trx(tx).selectFrom('payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      return row && { payment: toDomesticPayment(row), sentToCoreAt: row.sent_to_core_at };
    },

    async markSentToCore(id, at) {
      const row = await db
        .updateTable('payments')
        .set((eb) => ({ sent_to_core_at: eb.fn.coalesce('sent_to_core_at', eb.val(at)) }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toDomesticPayment(row);
    },

    async recordConversion(tx, id, amountMinor, at) {
      const row = await trx(tx).updateTable('payments').set({ amount_minor: amountMinor, sent_to_core_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toDomesticPayment(row);
    },

    async recordOutcome(tx, id, outcome, now) {
      const row = await trx(tx)
        .updateTable('payments')
        .set({
          status: outcome.status,
          status_reason_code: outcome.reason?.code ?? null,
          status_reason: outcome.reason?.description ?? null,
          status_updated_at: now,
          core_ref: outcome.coreRef ?? null,
          executed_at: outcome.coreRef ? now : null,
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      return row && toDomesticPayment(row);
    },

    async markSettled(tx, id, now) {
      const row = await trx(tx).updateTable('payments').set({ status: 'settled', status_updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toDomesticPayment(row);
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
