import type { TxContext } from '../../platform/db/index.ts';
import type { AccessScope } from './access-scope.ts';
import type { Consent, ConsentKind, ConsentStatus, ConsentStatusReason, PaymentSummary } from './consent-model.ts';

/** A consent as it is first stored, awaiting its upload or its authorisation. */
export interface NewConsentRecord {
  readonly id: string;
  readonly kind: ConsentKind;
  readonly clientId: string;
  readonly status: Extract<ConsentStatus, 'awaiting-upload' | 'awaiting-authorisation'>;
  readonly createdAt: Date;
  /** Account access: the scope, its window included; null for other purposes. */
  readonly access: AccessScope | null;
  readonly expiresAt: Date | null;
  readonly accountIds: readonly string[];
  readonly payment: PaymentSummary | null;
}

/** What the PSU's authorisation records on a consent. */
export interface AuthorisationRecord {
  readonly psuId: string;
  readonly partyId: string;
  readonly accountIds: readonly string[];
  readonly grantId: string | null;
  readonly scaBinding: string | null;
}

/** A consent whose stored expiry the expiry job recorded. */
export interface ExpiredConsent {
  readonly id: string;
  readonly clientId: string;
  readonly expiredAt: Date;
}

/**
 * What the consents module needs from storage. Consents come back as stored (`consentAsOf` reads
 * an expiry that has passed). Each status change is one conditional write: it answers the changed
 * consent, or undefined when the consent was not in a state it may change from — so of concurrent
 * changes exactly one applies. Methods taking a `TxContext` write in the caller's transaction (the
 * consent's events, an idempotency claim or a payment commit with them).
 */
export interface ConsentsRepository {
  insert(tx: TxContext, consent: NewConsentRecord): Promise<Consent>;
  /** One consent by id; in `tx` when given (reads its own uncommitted writes). */
  find(id: string, tx?: TxContext): Promise<Consent | undefined>;
  /** The consent authorised under an authorisation-server grant. */
  findByGrant(grantId: string): Promise<Consent | undefined>;
  /** Locks the consent until `tx` ends (a payment under it is being made) and answers it as stored. */
  lock(tx: TxContext, id: string): Promise<Consent | undefined>;
  /** awaiting-authorisation and unexpired at `now` → authorised. */
  authorise(tx: TxContext, id: string, authorisation: AuthorisationRecord, now: Date): Promise<Consent | undefined>;
  /** awaiting-authorisation → rejected. */
  reject(tx: TxContext, id: string, now: Date): Promise<Consent | undefined>;
  /** authorised → rejected, recording why (what the PSU authorised could not be carried out). */
  refuse(tx: TxContext, id: string, reason: ConsentStatusReason, now: Date): Promise<Consent | undefined>;
  /** awaiting-authorisation, authorised or expired → revoked by the TPP or the PSU. */
  revoke(tx: TxContext, id: string, by: 'TPP' | 'PSU', now: Date): Promise<Consent | undefined>;
  /** The client's authorised consent, unexpired at `now` → consumed. */
  consume(tx: TxContext, id: string, clientId: string, now: Date): Promise<Consent | undefined>;
  /** The client's consent awaiting upload → awaiting authorisation, with what its file pays. */
  completeUpload(tx: TxContext, id: string, clientId: string, payment: PaymentSummary, now: Date): Promise<Consent | undefined>;
  /**
   * Authorised consents whose expiry is at or before `now`, at most `limit`, oldest expiry first,
   * → expired as of their expiry. Consents locked by another transaction are left for later.
   */
  expireDue(tx: TxContext, now: Date, limit: number): Promise<ExpiredConsent[]>;
  /** A PSU's authorised consents, latest authorisation first. */
  listAuthorisedOfPsu(psuId: string): Promise<Consent[]>;
  /** A PSU's authorised, consumed, revoked and expired payment consents, latest authorisation first, at most `limit`. */
  listPaymentsOfPsu(psuId: string, limit: number): Promise<Consent[]>;
  /** A PSU's data-sharing consents ended by `now` (revoked, expired), most recently ended first, at most `limit`. */
  listEndedOfPsu(psuId: string, now: Date, limit: number): Promise<Consent[]>;
  /** The kinds of these consents, by id (unknown ids are absent). */
  kindsOf(ids: readonly string[]): Promise<Map<string, ConsentKind>>;
  /** The authorised account-access consents that give access to any of these accounts. */
  listAuthorisedAccessTo(accountIds: readonly string[]): Promise<Array<{ readonly id: string; readonly clientId: string; readonly accountIds: readonly string[] }>>;
}
