import type { CoreBanking } from '../../core/index.ts';
import type { Db } from '../../platform/db/index.ts';
import type { Consent } from '../consents/index.ts';
import type { PsuIdentityApi } from '../psu-identity/index.ts';
import { approveConsent, denyConsent, type Approval } from './decide-consent.ts';
import { describeConsentForPsu, findAuthorisableConsent, type AuthorisationRequest, type ConsentForPsu } from './describe-consent.ts';

/** The PSU's side of a consent: what they are asked to authorise, and their decision. */
export interface PsuAuthorisationApi {
  /** The consent an authorisation request names, if any PSU could authorise it now. */
  findAuthorisableConsent(request: AuthorisationRequest, now?: Date): Promise<Consent>;
  /** The consent as this PSU may authorise it, with the accounts it may use. */
  describeConsentForPsu(request: AuthorisationRequest, partyId: string, now?: Date): Promise<ConsentForPsu>;
  /** The PSU approves; `createGrant` runs once every check passed and returns the grant id. */
  approveConsent(request: AuthorisationRequest, approval: Approval, createGrant: (consent: Consent) => Promise<string>, now?: Date): Promise<Consent>;
  /** The PSU denies: the consent is rejected. */
  denyConsent(request: AuthorisationRequest, partyId: string, now?: Date): Promise<void>;
}

export interface PsuAuthorisationModuleDeps {
  /** The consents the PSU decides on (through the consents module). */
  readonly db: Db;
  readonly core: CoreBanking;
  /** Verifies the one-time code of a payment's dynamic linking. */
  readonly psuIdentity: Pick<PsuIdentityApi, 'verifyOneTimeCode'>;
}

export function createPsuAuthorisationModule(deps: PsuAuthorisationModuleDeps): PsuAuthorisationApi {
  const { db, core, psuIdentity } = deps;
  return {
    findAuthorisableConsent: (request, now) => findAuthorisableConsent(db, request, now),
    describeConsentForPsu: (request, partyId, now) => describeConsentForPsu(db, core, request, partyId, now),
    approveConsent: (request, approval, createGrant, now) => approveConsent(db, psuIdentity, core, request, approval, createGrant, now),
    denyConsent: (request, partyId, now) => denyConsent(db, core, request, partyId, now),
  };
}
