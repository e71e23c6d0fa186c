import type { Cache } from '../../platform/cache/index.ts';
import type { UnitOfWork } from '../../platform/db/index.ts';
import { revokeConsent } from './change-consent-status.ts';
import type { Consent, ConsentKind } from './consent-model.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';
import { getConsentForClient } from './get-consent.ts';

/**
 * Revocation by the TPP that created the consent (OB v4.0: `DELETE …-consents/{ConsentId}`). An
 * unknown id, another TPP's consent or another kind is NOT_FOUND, exactly as for a read, so a TPP
 * can neither revoke nor probe someone else's consent.
 */
export async function revokeConsentOfClient(
  uow: UnitOfWork,
  repository: ConsentsRepository,
  cache: Cache,
  request: { readonly id: string; readonly clientId: string; readonly kind: ConsentKind | readonly ConsentKind[] },
  now: Date = new Date(),
): Promise<Consent> {
  await getConsentForClient(repository, request.id, request.clientId, request.kind, now);
  return revokeConsent(uow, repository, cache, request.id, 'TPP', now);
}
