/**
 * What the audit trail records (docs/audit.md): every API call, every consent and payment state
 * change, every PSU authorisation step, every TPP registration change and every operator action.
 */
export const AUDIT_KINDS = ['api-call', 'consent', 'payment', 'psu-authorisation', 'tpp-registration', 'trust', 'operator'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** One thing to record, as its producer knows it. Details never hold a secret (a password, a code, a token). */
export interface AuditEntry {
  readonly at: Date;
  readonly kind: AuditKind;
  /** What happened: `GET /open-banking/v4.0/aisp/accounts/{AccountId}`, `ConsentStatusChanged`, `login`… */
  readonly action: string;
  /** How it ended: an HTTP status, a new status, `success` or `failure`. */
  readonly outcome: string;
  readonly clientId?: string | undefined;
  readonly organisationId?: string | undefined;
  readonly consentId?: string | undefined;
  readonly psuId?: string | undefined;
  readonly interactionId?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/** A record as the trail holds it: the entry, its place in its partition's chain and the chain's hashes. */
export interface AuditRecord {
  readonly partition: string;
  readonly seq: bigint;
  readonly at: Date;
  readonly kind: string;
  readonly action: string;
  readonly outcome: string;
  readonly clientId: string | null;
  readonly organisationId: string | null;
  readonly consentId: string | null;
  readonly psuId: string | null;
  readonly interactionId: string | null;
  /** The details as the JSON text that was hashed. */
  readonly details: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** A record without its chain's hashes: what reads of the trail's content (anomaly detection) need. */
export type AuditActivity = Omit<AuditRecord, 'prevHash' | 'hash'>;

/** A bank-signed head of a partition's chain: the record `seq` had `hash`. */
export interface AuditCheckpoint {
  readonly partition: string;
  readonly seq: bigint;
  readonly hash: string;
  readonly at: Date;
  /** Compact JWS of `{ partition, seq, hash, at }` with one of the bank's signing keys. */
  readonly jws: string;
}

/** The bank's signature on checkpoints, from the composition root (the bank's signing keys). */
export interface CheckpointSigner {
  /** A compact JWS of the payload with the key that signs now. */
  sign(payload: Uint8Array): Promise<string>;
  /** Whether the JWS is the bank's signature (by any of its keys, current or past) on the payload it carries; its payload if so. */
  verify(jws: string): Promise<Uint8Array | undefined>;
  /** Reads what `verify` needs (the keys) before a verification's snapshot holds the database. */
  prepare?(): Promise<void>;
}

/** A search of the trail: every filter given must match; newest first. */
export interface AuditQuery {
  readonly clientId?: string | undefined;
  readonly organisationId?: string | undefined;
  readonly consentId?: string | undefined;
  readonly psuId?: string | undefined;
  readonly interactionId?: string | undefined;
  readonly kind?: AuditKind | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}
