import type { TxContext } from '../../platform/db/index.ts';
import type { Consent, ConsentKind, NewConsent, PaymentSummary } from '../consents/index.ts';

/**
 * What payments need of the consents module: finding, creating, consuming and revoking the
 * payment consents their resources are made under, joining payments' transactions where they
 * must commit together.
 */
export interface PaymentConsents {
  /** The consent, read in the caller's transaction when one is given. */
  find(id: string, now: Date, tx?: TxContext): Promise<Consent | undefined>;
  /** The TPP's consent of `kind`; another TPP's, or another kind, is the consents' NOT_FOUND. */
  getForClient(id: string, clientId: string, kind: ConsentKind, now: Date): Promise<Consent>;
  /** Stages a consent in the caller's transaction and answers its id. */
  insert(tx: TxContext, consent: NewConsent, now: Date): Promise<string>;
  /** Consumes a one-use consent in the caller's transaction (a second submission is refused). */
  consume(tx: TxContext, id: string, clientId: string, now: Date): Promise<void>;
  /** A file payment consent's upload: it carries `summary` now and awaits authorisation. */
  completeUpload(tx: TxContext, id: string, clientId: string, summary: PaymentSummary, now: Date): Promise<void>;
  /**
   * Locks a VRP consent until `tx` ends and refuses it unless it is the client's, authorised and
   * unexpired: concurrent VRPs under one consent queue here.
   */
  lockAuthorised(tx: TxContext, id: string, clientId: string, now: Date): Promise<void>;
  /** Retires cached copies of a consent that changed (best effort). */
  forget(id: string): Promise<void>;
  /** The TPP revokes its consent of `kind` (OB VRP `DELETE`). */
  revokeOfClient(id: string, clientId: string, kind: ConsentKind, now: Date): Promise<void>;
}
