import { randomBytes } from 'node:crypto';
import { AppError } from '../../platform/errors/index.ts';
import type { ConsentsApi } from '../consents/index.ts';
import { PsuAuthorisationErrors } from './psu-authorisation.errors.ts';
import { FINAL_SCA_STATUSES, SCA_LIFETIME_MS, scaAsOf, type ScaAuthorisation, type ScaPurpose, type ScaStatus } from './sca-authorisation.ts';
import type { ScaAuthorisationsRepository } from './sca-authorisations.repository.port.ts';
import type { PendingBasketOf } from './describe-consent.ts';

export interface NewScaAuthorisation {
  readonly consentId: string;
  readonly clientId: string;
  readonly purpose: ScaPurpose;
  readonly redirectUri?: string | undefined;
  readonly nokRedirectUri?: string | undefined;
}

/** 128 random bits: the id is what the PSU's redirect URL carries, so it must not be guessable. */
const newScaId = () => `sca-${randomBytes(16).toString('base64url')}`;

/**
 * The TPP starts an SCA of its own consent. Authorising needs a consent awaiting authorisation;
 * cancelling needs an authorised or consumed payment consent (the payment it made is cancelled).
 */
export async function startScaAuthorisation(
  consents: Pick<ConsentsApi, 'find'>,
  repository: ScaAuthorisationsRepository,
  input: NewScaAuthorisation,
  now: Date,
  pendingBasketOf?: PendingBasketOf,
): Promise<ScaAuthorisation> {
  const consent = await consents.find(input.consentId, now);
  if (!consent || consent.clientId !== input.clientId) throw new AppError(PsuAuthorisationErrors.CONSENT_UNKNOWN);
  if (consent.status === 'expired') throw new AppError(PsuAuthorisationErrors.CONSENT_EXPIRED);
  const startable = input.purpose === 'authorise' ? consent.status === 'awaiting-authorisation' : consent.payment !== null && (consent.status === 'authorised' || consent.status === 'consumed');
  if (!startable) throw new AppError(PsuAuthorisationErrors.CONSENT_NOT_AWAITING);
  if (input.purpose === 'authorise' && pendingBasketOf && (await pendingBasketOf(consent.id))) throw new AppError(PsuAuthorisationErrors.CONSENT_IN_BASKET);
  return insertSca(repository, { consentId: consent.id, clientId: consent.clientId, purpose: input.purpose, redirectUri: input.redirectUri, nokRedirectUri: input.nokRedirectUri }, now);
}

/** A new SCA of `input` (checked by the caller), received, for the SCA's lifetime. */
export async function insertSca(repository: ScaAuthorisationsRepository, input: NewScaAuthorisation, now: Date): Promise<ScaAuthorisation> {
  const sca: ScaAuthorisation = {
    id: newScaId(),
    consentId: input.consentId,
    clientId: input.clientId,
    purpose: input.purpose,
    status: 'received',
    redirectUri: input.redirectUri ?? null,
    nokRedirectUri: input.nokRedirectUri ?? null,
    psuId: null,
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + SCA_LIFETIME_MS),
  };
  await repository.insert(sca);
  return sca;
}

/** An SCA of the TPP's own consent; another TPP's, or one of another consent, is unknown. */
export async function findScaOfClient(repository: ScaAuthorisationsRepository, request: { id: string; consentId: string; clientId: string; purpose: ScaPurpose }, now: Date): Promise<ScaAuthorisation> {
  const sca = await repository.find(request.id);
  if (!sca || sca.clientId !== request.clientId || sca.consentId !== request.consentId || sca.purpose !== request.purpose) throw new AppError(PsuAuthorisationErrors.SCA_UNKNOWN);
  return scaAsOf(sca, now);
}

/** The PSU side: an SCA the PSU can still complete (the redirect pages). */
export async function openSca(repository: ScaAuthorisationsRepository, id: string, now: Date): Promise<ScaAuthorisation> {
  const sca = await repository.find(id);
  if (!sca) throw new AppError(PsuAuthorisationErrors.SCA_UNKNOWN);
  const current = scaAsOf(sca, now);
  if (FINAL_SCA_STATUSES.has(current.status)) throw new AppError(PsuAuthorisationErrors.SCA_ENDED);
  return current;
}

/** Steps the PSU's side of an SCA may take, and where each may come from. */
const STEPS: Record<Exclude<ScaStatus, 'received'>, readonly ScaStatus[]> = {
  'psu-identified': ['received', 'psu-identified'],
  'psu-authenticated': ['psu-identified', 'psu-authenticated'],
  finalised: ['psu-identified', 'psu-authenticated'],
  failed: ['received', 'psu-identified', 'psu-authenticated'],
};

/**
 * Records a step of the PSU (`psuId`: the PSU who took it; null only for a failure before anyone
 * identified). Refused once the SCA ended, or when another PSU identified for it.
 */
export async function advanceSca(repository: ScaAuthorisationsRepository, id: string, status: Exclude<ScaStatus, 'received'>, psuId: string | null, now: Date): Promise<ScaAuthorisation> {
  const advanced = await repository.advance(id, STEPS[status], status, psuId, now);
  if (!advanced) throw new AppError(PsuAuthorisationErrors.SCA_ENDED);
  return advanced;
}
