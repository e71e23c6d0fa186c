import type { CoreBanking } from '../../core/index.ts';
import type { Consent, ConsentsApi } from '../consents/index.ts';
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
  /** The consents the PSU decides on. */
  readonly consents: ConsentsApi;
  readonly core: CoreBanking;
  /** Verifies the one-time code of a payment's dynamic linking. */
  readonly psuIdentity: Pick<PsuIdentityApi, 'verifyOneTimeCode'>;
}

export function createPsuAuthorisationModule(deps: PsuAuthorisationModuleDeps): PsuAuthorisationApi {
  const { consents, core, psuIdentity } = deps;
  return {
    findAuthorisableConsent: (request, now) => findAuthorisableConsent(consents, request, now),
    describeConsentForPsu: (request, partyId, now) => describeConsentForPsu(consents, core, request, partyId, now),
    approveConsent: (request, approval, createGrant, now) => approveConsent(consents, psuIdentity, core, request, approval, createGrant, now),
    denyConsent: (request, partyId, now) => denyConsent(consents, core, request, partyId, now),
  };
}
