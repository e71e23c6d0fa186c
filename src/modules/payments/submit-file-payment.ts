import { randomUUID } from 'node:crypto';
import { AppError } from '../../platform/errors/index.ts';
import { FilePaymentErrors } from './file-payment.errors.ts';
import type { FilePayment } from './file-payment-model.ts';
import { findFilePayment } from './get-file-payment.ts';
import { submitPendingPayment } from './insert-pending-payment.ts';
import type { DomesticPaymentSubmission } from './submit-domestic-payment.ts';
import { submitUnderConsent, type SubmitUnderConsentDeps } from './submit-under-consent.ts';

export interface SubmitFilePaymentDeps extends SubmitUnderConsentDeps {
  /** Told after a new file payment commits, to execute its payments without waiting for the scheduler's next poll. */
  readonly onSubmitted?: ((filePaymentId: string) => void) | undefined;
}

export interface SubmittedFilePayment {
  readonly filePayment: FilePayment;
  readonly created: boolean;
}

/** Idempotency scope of `POST /file-payments`. */
export const FILE_PAYMENTS_OPERATION = 'file-payments';

/**
 * Submits the file payment the PSU authorised, by the rules of every payment under a one-use
 * consent (`submitUnderConsent`: exactly the consented instruction, the consent consumed,
 * idempotent). In that one transaction each payment of the file becomes a Pending payment (kind
 * `file-payment`) from the account the PSU chose, with its own durable execution job
 * (`executeDomesticPayment`) due at the consent's RequestedExecutionDateTime, or at once when it
 * has none or it has passed; each is executed, or rejected, on its own, so one payment the account
 * cannot fund is rejected while the others settle.
 */
export async function submitFilePayment(
  deps: SubmitFilePaymentDeps,
  submission: Omit<DomesticPaymentSubmission, 'shareRefundAccount'>,
  now: Date = new Date(),
): Promise<SubmittedFilePayment> {
  const { entries, requestedExecutionAt: requested } = await deps.files.findEntries(submission.consent.id);
  // Reads through the core port happen before the transaction: inside it, only `tx` may be used.
  const creditorAccountIds: Array<string | null> = [];
  for (const entry of entries) {
    creditorAccountIds.push((await deps.core.findAccountByIdentifier(entry.creditorScheme as 'SortCodeAccountNumber' | 'IBAN', entry.creditorIdentification))?.id ?? null);
  }
  const runAt = requested && requested > now ? requested : now;
  const outcome = await submitUnderConsent(
    deps,
    submission,
    { kind: 'file-payment', operation: FILE_PAYMENTS_OPERATION },
    async (tx, consented) => {
      if (entries.length === 0) throw new AppError(FilePaymentErrors.FILE_NOT_UPLOADED);
      // OB FilePaymentId: at most 40 characters.
      const id = `pfp-${randomUUID()}`;
      const paymentIds: string[] = [];
      for (const [position, entry] of entries.entries()) {
        const paymentId = `pfi-${randomUUID()}`;
        paymentIds.push(paymentId);
        await submitPendingPayment(
          deps,
          tx,
          {
            id: paymentId,
            kind: 'file',
            reach: 'domestic',
            consentId: consented.consentId,
            clientId: consented.clientId,
            psuId: consented.psuId,
            debtorAccountId: consented.debtorAccountId,
            debtor: consented.debtor,
            creditorAccountId: creditorAccountIds[position] ?? null,
            amountMinor: BigInt(entry.amountMinor),
            currency: entry.currency,
            creditor: { name: entry.creditorName, scheme: entry.creditorScheme, identification: entry.creditorIdentification },
            reference: entry.reference,
            shareRefundAccount: false,
          },
          runAt,
          now,
        );
      }
      await deps.files.insertFilePayment(tx, { id, consentId: consented.consentId, clientId: consented.clientId, psuId: consented.psuId, createdAt: now }, paymentIds);
      return id;
    },
    now,
  );
  if (outcome.created) deps.onSubmitted?.(outcome.resourceId);
  const filePayment = await findFilePayment(deps.files, outcome.resourceId);
  if (!filePayment) throw new Error(`file payment ${outcome.resourceId} created under an idempotency key is gone`);
  return { filePayment, created: outcome.created };
}
