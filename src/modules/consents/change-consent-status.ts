import type { Cache } from '../../platform/cache/index.ts';
import type { TxContext, UnitOfWork } from '../../platform/db/index.ts';
import { recordEventIn } from '../../platform/events/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { forgetConsent } from './consent-cache.ts';
import { AccountAccessLinkedAccountsChangedV1, recordConsentStatusChanged } from './consent-events.ts';
import type { Consent, ConsentStatusReason } from './consent-model.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';
import { ConsentErrors } from './consents.errors.ts';

export interface Authorisation {
  readonly psuId: string;
  readonly partyId: string;
  readonly accountIds: readonly string[];
  /** The authorisation server grant issued for this consent (tokens carry it). */
  readonly grantId?: string | undefined;
  /** For payments: the dynamic-linking binding the PSU's authentication code was checked against. */
  readonly scaBinding?: string | undefined;
}

/**
 * awaiting-authorisation → authorised, recording the PSU and the chosen accounts. The conditional
 * update makes it happen once: a second authorisation (replay, double submit, race) fails.
 */
export function authoriseConsent(uow: UnitOfWork, repository: ConsentsRepository, id: string, authorisation: Authorisation, now: Date = new Date()): Promise<Consent> {
  return uow.run((tx) => authoriseConsentIn(repository, tx, id, authorisation, now));
}

/**
 * `authoriseConsent` in the caller's transaction, so that several consents authorised by one SCA
 * (a signing basket) commit together or not at all: NOT_AWAITING_AUTHORISATION rolls all back.
 */
export async function authoriseConsentIn(repository: ConsentsRepository, tx: TxContext, id: string, authorisation: Authorisation, now: Date = new Date()): Promise<Consent> {
  const consent = await repository.authorise(
    tx,
    id,
    { psuId: authorisation.psuId, partyId: authorisation.partyId, accountIds: authorisation.accountIds, grantId: authorisation.grantId ?? null, scaBinding: authorisation.scaBinding ?? null },
    now,
  );
  if (!consent) throw new AppError(ConsentErrors.NOT_AWAITING_AUTHORISATION);
  await recordConsentStatusChanged(tx, { id, clientId: consent.clientId, status: 'authorised' }, now);
  if (consent.kind === 'account-access') {
    await recordEventIn(tx, AccountAccessLinkedAccountsChangedV1, {
      aggregateId: id,
      tppClientId: consent.clientId,
      payload: { consentId: id, accountIds: [...authorisation.accountIds] },
      occurredAt: now,
    });
  }
  return consent;
}

/** awaiting-authorisation → rejected (the PSU said no, or the authorisation failed). */
export function rejectConsent(uow: UnitOfWork, repository: ConsentsRepository, id: string, now: Date = new Date()): Promise<Consent> {
  return uow.run(async (tx) => {
    const consent = await repository.reject(tx, id, now);
    if (!consent) throw new AppError(ConsentErrors.NOT_AWAITING_AUTHORISATION);
    await recordConsentStatusChanged(tx, { id, clientId: consent.clientId, status: 'rejected' }, now);
    return consent;
  });
}

/**
 * authorised → rejected, with the reason: what the PSU authorised could not be carried out (a
 * payment its module refused once authorised, for good). The status, the reason and the
 * ConsentStatusChanged event commit together. Undefined when the consent is no longer authorised
 * (consumed, revoked or expired meanwhile): there is nothing left to refuse, and a repeat after a
 * crash changes nothing. Cached copies are retired after the commit (best effort: the event
 * retires them too, `retireCachedConsents`).
 */
export async function refuseConsent(uow: UnitOfWork, repository: ConsentsRepository, cache: Cache, id: string, reason: ConsentStatusReason, now: Date = new Date()): Promise<Consent | undefined> {
  const refused = await uow.run(async (tx) => {
    const consent = await repository.refuse(tx, id, reason, now);
    if (consent) await recordConsentStatusChanged(tx, { id, clientId: consent.clientId, status: 'rejected' }, now);
    return consent;
  });
  if (refused) await forgetConsent(cache, id).catch(() => undefined);
  return refused;
}

/**
 * Revocation by the TPP (DELETE) or the PSU (dashboard); effective on the TPP's next call at every
 * instance: once committed, every cached copy of the consent is retired (`forgetConsent`). The
 * copies are retired before the change too, so that a shared cache that cannot be reached fails
 * the revocation before anything changed (the caller answers 503 and may simply retry). Should the
 * cache drop between that and the commit, the revocation stands and is answered as done: its
 * ConsentStatusChanged event retires the copies once the cache answers again
 * (`retireCachedConsents`, retried until it does). While the cache cannot be reached no instance
 * can confirm a cached copy, so every one reads the consent from the database; between its return
 * and that retry, a copy read in the moment before the commit could still be reused, for at most
 * the memo's lifetime.
 */
export async function revokeConsent(uow: UnitOfWork, repository: ConsentsRepository, cache: Cache, id: string, by: 'TPP' | 'PSU', now: Date = new Date()): Promise<Consent> {
  await forgetConsent(cache, id);
  const revoked = await uow.run(async (tx) => {
    const consent = await repository.revoke(tx, id, by, now);
    if (!consent) throw new AppError(ConsentErrors.ALREADY_REVOKED);
    await recordConsentStatusChanged(tx, { id, clientId: consent.clientId, status: 'revoked', by }, now);
    return consent;
  });
  await forgetConsent(cache, id).catch(() => undefined);
  return revoked;
}
