import type { TxContext } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { recordConsentStatusChanged } from './consent-events.ts';
import type { Consent } from './consent-model.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';
import { ConsentErrors } from './consents.errors.ts';

/**
 * authorised → consumed, inside the transaction that creates what the consent was for (a single
 * payment). The conditional update is the one place a consent is used up: of concurrent uses, the
 * first locks the row and the others, once it commits, match nothing and fail with NOT_AUTHORISED,
 * so a consent pays at most once. Only the consent's own client may use it. The caller retires
 * cached copies after its transaction commits (`ConsentsApi.forget`).
 */
export async function consumeConsent(repository: ConsentsRepository, tx: TxContext, id: string, clientId: string, now: Date = new Date()): Promise<Consent> {
  const consent = await repository.consume(tx, id, clientId, now);
  if (!consent) throw new AppError(ConsentErrors.NOT_AUTHORISED);
  await recordConsentStatusChanged(tx, { id, clientId, status: 'consumed' }, now);
  return consent;
}

/**
 * Holds an authorised consent for a payment under it that leaves it authorised (a VRP): the
 * consent stays locked until `tx` ends, so a concurrent revocation or expiry waits for the payment,
 * and it must be the client's, authorised and unexpired at `now`.
 */
export async function holdConsentForPayment(repository: ConsentsRepository, tx: TxContext, id: string, clientId: string, now: Date = new Date()): Promise<Consent> {
  const consent = await repository.lock(tx, id);
  if (!consent || consent.clientId !== clientId || consent.status !== 'authorised') throw new AppError(ConsentErrors.NOT_AUTHORISED);
  if (consent.expiresAt !== null && consent.expiresAt <= now) throw new AppError(ConsentErrors.EXPIRED);
  return consent;
}
