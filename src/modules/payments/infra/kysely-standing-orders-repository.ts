import { ownTables, transactionOf, type Db, type Row, type TxContext } from '../../../platform/db/index.ts';
import type { PersonalDataCipher } from '../../../platform/keystore/index.ts';
import { standingOrderKindColumnOf } from '../payment-kind-column.ts';
import type { StandingOrdersRepository } from '../standing-orders.repository.port.ts';
import { decryptedOrderRows, encryptedOrderFields } from './order-personal-data.ts';
import { toDomesticPayment } from './payment-row.ts';
import type { PaymentsTables } from './payments.tables.ts';
import { toDomesticStandingOrder } from './standing-order-row.ts';

/** Standing orders in `standing_orders`; each instalment a row of `standing_order_instalments` naming its payment. */
export function createKyselyStandingOrdersRepository(database: Db, cipher: PersonalDataCipher): StandingOrdersRepository {
  const db = ownTables<PaymentsTables>(database);
  const trx = (tx: TxContext) => transactionOf<PaymentsTables>(tx);
  // Debtor and creditor names and identifications are encrypted at rest (order-personal-data.ts).
  const toOrder = async (row: Row<'standing_orders'>) => toDomesticStandingOrder((await decryptedOrderRows('standing_orders', [row], cipher))[0]!);
  return {
    async insert(tx, order, now) {
      const { schedule, debtor } = order;
      const row = await trx(tx)
        .insertInto('standing_orders')
        .values(encryptedOrderFields('standing_orders', {
          id: order.id,
          kind: standingOrderKindColumnOf(order.reach),
          consent_id: order.consentId,
          client_id: order.clientId,
          psu_id: order.psuId,
          status: 'pending' as const,
          status_reason_code: null,
          status_reason: null,
          created_at: now,
          status_updated_at: now,
          debtor_account_id: order.debtorAccountId,
          debtor_scheme: debtor?.scheme ?? null,
          debtor_identification: debtor?.identification ?? null,
          debtor_name: debtor?.name ?? null,
          creditor_account_id: order.creditorAccountId,
          currency: schedule.currency,
          debit_currency: order.debitCurrency,
          creditor_name: order.creditor.name,
          creditor_scheme: order.creditor.scheme,
          creditor_identification: order.creditor.identification,
          reference: order.reference,
          first_amount_minor: schedule.firstAmountMinor,
          recurring_amount_minor: schedule.recurringAmountMinor,
          final_amount_minor: schedule.finalAmountMinor,
          first_payment_at: schedule.firstPaymentAt,
          recurring_payment_at: schedule.recurringPaymentAt,
          final_payment_at: schedule.finalPaymentAt,
          number_of_payments: schedule.numberOfPayments,
          frequency: schedule.frequency,
          business_day_rule: schedule.businessDayRule,
          share_refund_account: order.shareRefundAccount,
        }, cipher))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toOrder(row);
    },

    async find(id) {
      const row = await db.selectFrom('standing_orders').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toOrder(row);
    },

    async findOfConsent(consentId) {
      const row = await db.selectFrom('standing_orders').selectAll().where('consent_id', '=', consentId).executeTakeFirst();
      return row && toOrder(row);
    },

    async lock(tx, id) {
      const row = await trx(tx).selectFrom('standing_orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      return row && toOrder(row);
    },

    async lockOfConsent(tx, consentId) {
      const row = await trx(tx).selectFrom('standing_orders').selectAll().where('consent_id', '=', consentId).forUpdate().executeTakeFirst();
      return row && toOrder(row);
    },

    async latestInstalment(tx, standingOrderId) {
      const row = await trx(tx)
        .selectFrom('standing_order_instalments')
        .select(['instalment_number', 'due_at'])
        .where('standing_order_id', '=', standingOrderId)
        .orderBy('instalment_number', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && { number: row.instalment_number, dueAt: row.due_at };
    },

    async findInstalmentPayment(tx, standingOrderId, n) {
      const recorded = await trx(tx)
        .selectFrom('standing_order_instalments')
        .select('payment_id')
        .where('standing_order_id', '=', standingOrderId)
        .where('instalment_number', '=', n)
        .executeTakeFirst();
      if (!recorded) return undefined;
      const payment = await trx(tx).selectFrom('payments').selectAll().where('id', '=', recorded.payment_id).executeTakeFirst();
      return payment ? toDomesticPayment((await decryptedOrderRows('payments', [payment], cipher))[0]!) : null;
    },

    async addInstalment(tx, instalment) {
      await trx(tx)
        .insertInto('standing_order_instalments')
        .values({ standing_order_id: instalment.standingOrderId, instalment_number: instalment.number, payment_id: instalment.paymentId, due_at: instalment.dueAt })
        .execute();
    },

    async instalmentOf(tx, paymentId) {
      const row = await trx(tx).selectFrom('standing_order_instalments').select(['standing_order_id', 'instalment_number', 'due_at']).where('payment_id', '=', paymentId).executeTakeFirst();
      return row && { standingOrderId: row.standing_order_id, number: row.instalment_number, dueAt: row.due_at };
    },

    async lastPaidInstalment(tx, standingOrderId) {
      const paid = await trx(tx)
        .selectFrom('standing_order_instalments as i')
        .innerJoin('payments as p', 'p.id', 'i.payment_id')
        .select(['i.instalment_number', 'i.due_at'])
        .where('i.standing_order_id', '=', standingOrderId)
        .where('p.status', '!=', 'rejected')
        .orderBy('i.instalment_number', 'desc')
        .limit(1)
        .executeTakeFirst();
      return paid && { number: paid.instalment_number, dueAt: paid.due_at };
    },

    async recordSetUp(tx, id, status, reason, now) {
      await trx(tx)
        .updateTable('standing_orders')
        .set({ status, status_reason_code: reason?.code ?? null, status_reason: reason?.description ?? null, status_updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },

    async cancel(tx, id, now) {
      const row = await trx(tx)
        .updateTable('standing_orders')
        .set({ status: 'cancelled', status_updated_at: now })
        .where('id', '=', id)
        .where('status', 'in', ['pending', 'set-up'])
        .returningAll()
        .executeTakeFirst();
      return row && toOrder(row);
    },

    async listInstalments(standingOrderId) {
      const rows = await db
        .selectFrom('standing_order_instalments as i')
        .innerJoin('payments as p', 'p.id', 'i.payment_id')
        .selectAll('p')
        .select(['i.instalment_number', 'i.due_at'])
        .where('i.standing_order_id', '=', standingOrderId)
        .orderBy('i.instalment_number')
        .execute();
      return rows.map((row) => ({ number: row.instalment_number, dueAt: row.due_at, payment: toDomesticPayment(row) }));
    },
  };
}
