import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { recordConsentStatusChanged } from './consent-events.ts';
import { ConsentErrors } from './consents.errors.ts';
import type { Consent } from './consent-model.ts';
import { toConsent } from './consent-row.ts';

/**
 * authorised → consumed, inside the transaction that creates what the consent was for (a single
 * payment). The conditional update is the one place a consent is used up: of concurrent uses, the
 * first locks the row and the others, once it commits, match nothing and fail with NOT_AUTHORISED,
 * so a consent pays at most once. Only the consent's own client may use it. The caller retires
 * cached copies after its transaction commits (`forgetConsent`).
 */
export async function consumeConsent(trx: Transaction<DatabaseSchema>, id: string, clientId: string, now: Date = new Date()): Promise<Consent> {
  const row = await trx
    .updateTable('consents')
    .set({ status: 'consumed', status_updated_at: now })
    .where('id', '=', id)
    .where('client_id', '=', clientId)
    .where('status', '=', 'authorised')
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError(ConsentErrors.NOT_AUTHORISED);
  await recordConsentStatusChanged(trx, { id, clientId, status: 'consumed' }, now);
  return toConsent(row, now);
}
