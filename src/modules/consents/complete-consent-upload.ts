import type { TxContext } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { recordConsentStatusChanged } from './consent-events.ts';
import type { Consent, PaymentSummary } from './consent-model.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';
import { ConsentErrors } from './consents.errors.ts';

/**
 * awaiting-upload → awaiting-authorisation, inside the transaction that stores the uploaded file: the
 * consent now carries the summary of what the file pays, which the PSU is shown and authenticates.
 * The conditional update makes it happen once: a second upload (or one after authorisation, or to
 * another client's consent) matches nothing and fails with NOT_AWAITING_UPLOAD. The caller retires
 * cached copies after its transaction commits (`ConsentsApi.forget`).
 */
export async function completeConsentUpload(repository: ConsentsRepository, tx: TxContext, id: string, clientId: string, payment: PaymentSummary, now: Date = new Date()): Promise<Consent> {
  const consent = await repository.completeUpload(tx, id, clientId, payment, now);
  if (!consent) throw new AppError(ConsentErrors.NOT_AWAITING_UPLOAD);
  await recordConsentStatusChanged(tx, { id, clientId, status: 'awaiting-authorisation' }, now);
  return consent;
}
