import type { TxContext } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { consentAsOf } from './consent-as-of.ts';
import type { Consent, ConsentKind } from './consent-model.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';
import { ConsentErrors } from './consents.errors.ts';

/** Any consent by id (PSU-side flows, after the PSU's own checks); in `tx` when given. */
export async function findConsent(repository: ConsentsRepository, id: string, now: Date = new Date(), tx?: TxContext): Promise<Consent | undefined> {
  const consent = await repository.find(id, tx);
  return consent && consentAsOf(consent, now);
}

/**
 * A consent as seen by a TPP: only its own, of the expected kind. Anything else — unknown id,
 * another TPP's consent, another kind — is the same NOT_FOUND, so ids leak nothing.
 */
export async function getConsentForClient(repository: ConsentsRepository, id: string, clientId: string, kind: ConsentKind | readonly ConsentKind[], now: Date = new Date()): Promise<Consent> {
  const consent = await findConsent(repository, id, now);
  const kindMatches = (found: ConsentKind) => (typeof kind === 'string' ? found === kind : kind.includes(found));
  if (!consent || consent.clientId !== clientId || !kindMatches(consent.kind)) throw new AppError(ConsentErrors.NOT_FOUND);
  return consent;
}
