import type { Transaction } from 'kysely';
import type { DatabaseSchema, Row } from '../../platform/db/index.ts';
import { scheduleJob } from '../../platform/scheduler/index.ts';
import { EXECUTE_DOMESTIC_PAYMENT_JOB, type DomesticPaymentExecutionPayload } from './send-to-core-job.ts';
import { recordPaymentStatusChanged } from './payment-events.ts';
import { kindColumnOf } from './payment-kind-column.ts';
import type { PaymentAccount, PaymentOrderType } from './payment-model.ts';

/** A payment as a submission (or a standing-order instalment) creates it, before execution. */
export type PendingPayment = PaymentOrderType & PendingPaymentFields;

interface PendingPaymentFields {
  readonly id: string;
  readonly consentId: string;
  readonly clientId: string;
  readonly psuId: string;
  readonly debtorAccountId: string;
  readonly debtor: PaymentAccount | null | undefined;
  /** The bank's own account the creditor identification names; null when the payment leaves the bank. */
  readonly creditorAccountId: string | null;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly creditor: { readonly name: string; readonly scheme: string; readonly identification: string };
  readonly reference: string | null;
  readonly shareRefundAccount: boolean;
}

/** Stores a payment pending, in the caller's transaction; answers the row stored. */
export async function insertPendingPayment(trx: Transaction<DatabaseSchema>, payment: PendingPayment, now: Date): Promise<Row<'payments'>> {
  return trx
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
}

/**
 * Stores a submitted payment pending with its one execution job (`executeDomesticPayment`, at
 * `runAt`; or the job of kind `job` that executes it) and its event, all in the
 * submission's transaction: a payment never exists without the job that executes it. Answers
 * the row stored.
 */
export async function submitPendingPayment(trx: Transaction<DatabaseSchema>, payment: PendingPayment, runAt: Date, now: Date, job: string = EXECUTE_DOMESTIC_PAYMENT_JOB): Promise<Row<'payments'>> {
  const row = await insertPendingPayment(trx, payment, now);
  await scheduleJob<DomesticPaymentExecutionPayload>(trx, { kind: job, dedupeKey: `${kindColumnOf(payment)}:${payment.id}`, runAt, payload: { paymentId: payment.id } }, now);
  await recordPaymentStatusChanged(trx, payment, { status: 'pending' }, now);
  return row;
}
