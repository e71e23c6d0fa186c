import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { recordConsentStatusChanged } from './consent-events.ts';
import { ConsentErrors } from './consents.errors.ts';
import type { Consent, PaymentSummary } from './consent-model.ts';
import { toConsent } from './consent-row.ts';
import { toPaymentSummaryColumn } from './payment-summary-column.ts';

/**
 * awaiting-upload → awaiting-authorisation, inside the transaction that stores the uploaded file: the
 * consent now carries the summary of what the file pays, which the PSU is shown and authenticates.
 * The conditional update makes it happen once: a second upload (or one after authorisation, or to
 * another client's consent) matches nothing and fails with NOT_AWAITING_UPLOAD. The caller retires
 * cached copies after its transaction commits (`forgetConsent`).
 */
export async function completeConsentUpload(trx: Transaction<DatabaseSchema>, id: string, clientId: string, payment: PaymentSummary, now: Date = new Date()): Promise<Consent> {
  const row = await trx
    .updateTable('consents')
    .set({ status: 'awaiting-authorisation', status_updated_at: now, payment: JSON.stringify(toPaymentSummaryColumn(payment)) })
    .where('id', '=', id)
    .where('client_id', '=', clientId)
    .where('status', '=', 'awaiting-upload')
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError(ConsentErrors.NOT_AWAITING_UPLOAD);
  await recordConsentStatusChanged(trx, { id, clientId, status: 'awaiting-authorisation' }, now);
  return toConsent(row, now);
}
