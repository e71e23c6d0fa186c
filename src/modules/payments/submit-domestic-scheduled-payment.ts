import { randomUUID } from 'node:crypto';
import { enqueueEvent } from '../../platform/outbox/index.ts';
import { scheduleJob } from '../../platform/scheduler/index.ts';
import { EXECUTE_DOMESTIC_PAYMENT_JOB, type DomesticPaymentExecutionPayload } from './execute-domestic-payment.ts';
import { findPaymentOfKind } from './get-payment-of-kind.ts';
import { PAYMENT_STATUS_CHANGED_SUBJECT, type PaymentStatusChangedEvent } from './payment-events.ts';
import type { DomesticPaymentSubmission, SubmittedDomesticPayment } from './submit-domestic-payment.ts';
import { submitUnderConsent, type SubmitUnderConsentDeps } from './submit-under-consent.ts';

/** Idempotency scope of `POST /domestic-scheduled-payments`. */
export const DOMESTIC_SCHEDULED_PAYMENTS_OPERATION = 'domestic-scheduled-payments';

export interface DomesticScheduledPaymentSubmission extends DomesticPaymentSubmission {
  /** The consented execution date (OB `RequestedExecutionDateTime` of the consent). */
  readonly requestedExecutionAt: Date;
}

/**
 * Submits the scheduled payment the PSU authorised (the rules of `submitUnderConsent`): stored as
 * Pending, its execution a durable job due at the requested date — the same job and ledger
 * execution as an immediate payment (`executeDomesticPayment`), dedupe key
 * `domestic-scheduled-payment:{id}`. A date that has passed since the consent runs at once.
 */
export async function submitDomesticScheduledPayment(deps: SubmitUnderConsentDeps, submission: DomesticScheduledPaymentSubmission, now: Date = new Date()): Promise<SubmittedDomesticPayment> {
  const outcome = await submitUnderConsent(
    deps,
    submission,
    { kind: 'domestic-scheduled-payment', operation: DOMESTIC_SCHEDULED_PAYMENTS_OPERATION },
    async (trx, consented) => {
      // OB DomesticScheduledPaymentId: at most 40 characters.
      const id = `psp-${randomUUID()}`;
      const { summary, debtor } = consented;
      await trx
        .insertInto('payments')
        .values({
          id,
          kind: 'domestic-scheduled-payment',
          consent_id: consented.consentId,
          client_id: consented.clientId,
          psu_id: consented.psuId,
          status: 'Pending',
          status_reason_code: null,
          status_reason: null,
          created_at: now,
          status_updated_at: now,
          debtor_account_id: consented.debtorAccountId,
          debtor_scheme: debtor?.scheme ?? null,
          debtor_identification: debtor?.identification ?? null,
          debtor_name: debtor?.name ?? null,
          creditor_account_id: consented.creditorAccountId,
          amount_minor: summary.amountMinor,
          currency: summary.currency,
          creditor_name: summary.creditorName,
          creditor_scheme: summary.creditorScheme,
          creditor_identification: summary.creditorIdentification,
          reference: summary.reference,
          request: JSON.stringify(submission.request),
          share_refund_account: submission.shareRefundAccount,
          entry_id: null,
          executed_at: null,
        })
        .execute();
      await scheduleJob<DomesticPaymentExecutionPayload>(
        trx,
        { kind: EXECUTE_DOMESTIC_PAYMENT_JOB, dedupeKey: `domestic-scheduled-payment:${id}`, runAt: submission.requestedExecutionAt, payload: { paymentId: id } },
        now,
      );
      await enqueueEvent<PaymentStatusChangedEvent>(trx, PAYMENT_STATUS_CHANGED_SUBJECT, { paymentId: id, consentId: consented.consentId, clientId: consented.clientId, status: 'Pending' }, { occurredAt: now });
      return id;
    },
    now,
  );
  const payment = await findPaymentOfKind(deps.db, outcome.resourceId, 'domestic-scheduled-payment');
  if (!payment) throw new Error(`scheduled payment ${outcome.resourceId} created under an idempotency key is gone`);
  return { payment, created: outcome.created };
}
