import type { PersonalDataCipher } from '../../platform/keystore/index.ts';
import type { Cache, Freshness } from '../../platform/cache/index.ts';
import { createUnitOfWork, type Db, type TxContext, type UnitOfWork } from '../../platform/db/index.ts';
import type { TransactionalJobHandler } from '../../platform/scheduler/index.ts';
import type { AlongsideWrite } from '../idempotency/index.ts';
import { authoriseConsent, authoriseConsentIn, refuseConsent, rejectConsent, revokeConsent, type Authorisation } from './change-consent-status.ts';
import { completeConsentUpload } from './complete-consent-upload.ts';
import { consentAsOf } from './consent-as-of.ts';
import { ConsentCache, forgetConsent, type ConsentCacheOptions } from './consent-cache.ts';
import type { Consent, ConsentKind, ConsentStatusReason, PaymentSummary } from './consent-model.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';
import { consumeConsent, holdConsentForPayment } from './consume-consent.ts';
import { countUnattendedAccess } from './count-unattended-access.ts';
import { createConsent, stageConsent, type NewConsent } from './create-consent.ts';
import { CONSENT_EXPIRY_INTERVAL_MS, consentExpiry, EXPIRE_CONSENTS_JOB, scheduleConsentExpiry } from './expire-consents.ts';
import { findConsent, getConsentForClient } from './get-consent.ts';
import { createKyselyConsentsRepository } from './infra/kysely-consents-repository.ts';
import { listConsentsOfPsu, listEndedConsentsOfPsu, listPaymentConsentsOfPsu } from './list-consents-of-psu.ts';
import { revokeConsentOfClient } from './revoke-consent-of-client.ts';

/** What a consent is asked of by the TPP that owns it: its id, the client and the kind the resource names. */
export interface ClientConsentRequest {
  readonly id: string;
  readonly clientId: string;
  /** The kind the consent must be, or the kinds it may be (a standard's one resource over several). */
  readonly kind: ConsentKind | readonly ConsentKind[];
}

/**
 * Consents, as the rest of the platform uses them. Methods taking a `TxContext` write in the
 * caller's transaction (an idempotency claim, a payment), and the caller retires the consent's
 * cached copies (`forget`) once that transaction has committed.
 */
export interface ConsentsApi {
  /** Stages a consent in a transaction of its own; `alongside` (the facade keeping the request as received) commits with it. */
  create(input: NewConsent, now?: Date, alongside?: AlongsideWrite): Promise<Consent>;
  /** Stages a consent in the caller's transaction (with its idempotency claim). */
  stage(tx: TxContext, input: NewConsent, now?: Date): Promise<Consent>;
  /** Any consent by id (PSU-side flows, after the PSU's own checks); in `tx` when given. */
  find(id: string, now?: Date, tx?: TxContext): Promise<Consent | undefined>;
  /** The consent of the TPP's own of that kind; anything else is NOT_FOUND, so ids leak nothing. */
  findForClient(request: ClientConsentRequest, now?: Date): Promise<Consent>;
  /**
   * The consent a resource request is checked against, as fresh as a read of the database, through
   * this process's memo of authorised consents (see `ConsentCache`). `asOf`: when the request arrived.
   */
  findForRequest(id: string, now?: Date, asOf?: Freshness): Promise<Consent | undefined>;
  /** The consent authorised under an authorisation-server grant (token → consent). */
  findByGrant(grantId: string, now?: Date): Promise<Consent | undefined>;
  /** Consents a PSU has authorised and not revoked, newest first. */
  listOfPsu(psuId: string, now?: Date): Promise<Consent[]>;
  /** A PSU's payment consents, current and past, newest first. */
  listPaymentsOfPsu(psuId: string, now?: Date): Promise<Consent[]>;
  /** A PSU's ended data-sharing consents, most recently ended first. */
  listEndedOfPsu(psuId: string, now?: Date): Promise<Consent[]>;
  /** The kinds of these consents, by id (unknown ids are absent). */
  kindsOf(ids: readonly string[]): Promise<Map<string, ConsentKind>>;
  /** The authorised account-access consents that give access to any of these accounts (as stored; expiry not applied). */
  listAuthorisedAccessTo(accountIds: readonly string[]): Promise<Array<{ readonly id: string; readonly clientId: string; readonly accountIds: readonly string[] }>>;
  authorise(id: string, authorisation: Authorisation, now?: Date): Promise<Consent>;
  /** `authorise` in the caller's transaction (several consents authorised by one SCA commit together). */
  authoriseIn(tx: TxContext, id: string, authorisation: Authorisation, now?: Date): Promise<Consent>;
  reject(id: string, now?: Date): Promise<Consent>;
  /**
   * authorised → rejected with `reason`: what the PSU authorised could not be carried out (a
   * payment refused for good once authorised). Undefined when it is no longer authorised.
   */
  refuse(id: string, reason: ConsentStatusReason, now?: Date): Promise<Consent | undefined>;
  /** Revocation by the TPP or the PSU, effective at every instance on the TPP's next call. */
  revoke(id: string, by: 'TPP' | 'PSU', now?: Date): Promise<Consent>;
  /** Revocation by the TPP that owns the consent (NOT_FOUND for anything else, as for a read). */
  revokeForClient(request: ClientConsentRequest, now?: Date): Promise<Consent>;
  /** authorised → consumed, in the transaction that makes the payment; at most once. */
  consume(tx: TxContext, id: string, clientId: string, now?: Date): Promise<Consent>;
  /** Locks the client's authorised, unexpired consent until `tx` ends (a VRP payment under it). */
  holdForPayment(tx: TxContext, id: string, clientId: string, now?: Date): Promise<Consent>;
  /** A file payment consent's file is uploaded: awaiting-upload → awaiting-authorisation, with what it pays. */
  completeUpload(tx: TxContext, id: string, clientId: string, payment: PaymentSummary, now?: Date): Promise<Consent>;
  /**
   * Counts a read of `resource` on the account made without the PSU taking part; refuses it
   * (UNATTENDED_ACCESS_EXCEEDED, with the seconds until the next UTC day) once the scope's
   * `unattendedPerDay` — or, where the scope sets none, the facade's `defaultPerDay` — is used up today.
   */
  countUnattendedAccess(consent: Consent, accountId: string, resource: string, now?: Date, defaultPerDay?: number): Promise<void>;
  /** Retires every cached copy of the consent, at every instance (after a change committed elsewhere). */
  forget(id: string): Promise<void>;
  /** The recurring job recording expiries, for the scheduler. */
  readonly expiryJob: { readonly kind: string; readonly handler: TransactionalJobHandler<Record<string, never>> };
  /** Starts the chain of expiry runs (a no-op where this interval's run exists). */
  scheduleExpiry(now?: Date): Promise<void>;
}

export interface ConsentsModuleDeps {
  readonly db: Db;
  /** The shared cache: generations of the consents the request checks remember, retired on revocation. */
  readonly cache: Cache;
  /** The unit of work the module's own writes run in; one over `db` when not given. */
  readonly uow?: UnitOfWork;
  /** This process's memo of authorised consents. */
  readonly memo?: ConsentCacheOptions;
  /** How often expiries are recorded (default a minute). */
  readonly expiryIntervalMs?: number;
  /** Encrypts the payment summaries and named accounts at rest; without one they are stored in the clear (tests of other parts). */
  readonly cipher?: PersonalDataCipher | undefined;
}

/** The consents module over its repository (tests give one of their own). */
export function consentsApiOver(deps: Omit<ConsentsModuleDeps, 'uow'> & { readonly uow: UnitOfWork; readonly repository: ConsentsRepository }): ConsentsApi {
  const { db, cache, uow, repository } = deps;
  const memo = new ConsentCache(repository, cache, deps.memo);
  const intervalMs = deps.expiryIntervalMs ?? CONSENT_EXPIRY_INTERVAL_MS;
  return {
    create: (input, now, alongside) => createConsent(uow, repository, input, now, alongside),
    stage: (tx, input, now) => stageConsent(repository, tx, input, now),
    find: (id, now, tx) => findConsent(repository, id, now, tx),
    findForClient: (request, now) => getConsentForClient(repository, request.id, request.clientId, request.kind, now),
    // Bound, not wrapped: a resource request's consent check runs the cache's code only (0001f).
    findForRequest: memo.find.bind(memo),
    findByGrant: async (grantId, now) => {
      const consent = await repository.findByGrant(grantId);
      return consent && consentAsOf(consent, now);
    },
    listOfPsu: (psuId, now) => listConsentsOfPsu(repository, psuId, now),
    listPaymentsOfPsu: (psuId, now) => listPaymentConsentsOfPsu(repository, psuId, now),
    listEndedOfPsu: (psuId, now) => listEndedConsentsOfPsu(repository, psuId, now),
    kindsOf: (ids) => repository.kindsOf(ids),
    listAuthorisedAccessTo: (accountIds) => repository.listAuthorisedAccessTo(accountIds),
    authorise: (id, authorisation, now) => authoriseConsent(uow, repository, id, authorisation, now),
    authoriseIn: (tx, id, authorisation, now) => authoriseConsentIn(repository, tx, id, authorisation, now),
    reject: (id, now) => rejectConsent(uow, repository, id, now),
    refuse: (id, reason, now) => refuseConsent(uow, repository, cache, id, reason, now),
    revoke: (id, by, now) => revokeConsent(uow, repository, cache, id, by, now),
    revokeForClient: (request, now) => revokeConsentOfClient(uow, repository, cache, request, now),
    consume: (tx, id, clientId, now) => consumeConsent(repository, tx, id, clientId, now),
    holdForPayment: (tx, id, clientId, now) => holdConsentForPayment(repository, tx, id, clientId, now),
    completeUpload: (tx, id, clientId, payment, now) => completeConsentUpload(repository, tx, id, clientId, payment, now),
    countUnattendedAccess: (consent, accountId, resource, now = new Date(), defaultPerDay) => countUnattendedAccess(cache, consent, accountId, resource, now, defaultPerDay),
    forget: (id) => forgetConsent(cache, id),
    expiryJob: { kind: EXPIRE_CONSENTS_JOB, handler: consentExpiry(repository, intervalMs) },
    scheduleExpiry: (now) => scheduleConsentExpiry(db, now, intervalMs),
  };
}

/** The consents module on the platform database. */
export function createConsentsModule(deps: ConsentsModuleDeps): ConsentsApi {
  return consentsApiOver({ ...deps, uow: deps.uow ?? createUnitOfWork(deps.db), repository: createKyselyConsentsRepository(deps.db, deps.cipher) });
}
