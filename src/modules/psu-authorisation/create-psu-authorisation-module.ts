import type { CoreBanking } from '../../core/index.ts';
import { createUnitOfWork, type Db } from '../../platform/db/index.ts';
import type { Consent, ConsentsApi } from '../consents/index.ts';
import type { PsuIdentityApi } from '../psu-identity/index.ts';
import { cancellationForPsu, confirmCancellation, type CancelPaymentOrder } from './confirm-cancellation.ts';
import { approveConsent, denyConsent, type Approval } from './decide-consent.ts';
import { describeConsentForPsu, findAuthorisableConsent, type AuthorisationRequest, type ConsentForPsu } from './describe-consent.ts';
import { createKyselyScaAuthorisationsRepository } from './infra/kysely-sca-authorisations-repository.ts';
import type { ScaAuthorisation, ScaPurpose, ScaStatus } from './sca-authorisation.ts';
import { advanceSca, findScaOfClient, openSca, startScaAuthorisation, type NewScaAuthorisation } from './sca-authorisations.ts';

/** The PSU's side of a consent: what they are asked to authorise, and their decision. */
export interface PsuAuthorisationApi {
  /** The consent an authorisation request names, if any PSU could authorise it now. */
  findAuthorisableConsent(request: AuthorisationRequest, now?: Date): Promise<Consent>;
  /** The consent as this PSU may authorise it, with the accounts it may use. */
  describeConsentForPsu(request: AuthorisationRequest, partyId: string, now?: Date): Promise<ConsentForPsu>;
  /**
   * The PSU approves; `createGrant` runs once every check passed and returns the authorisation
   * server's grant id (none where the standard authorises without OAuth).
   */
  approveConsent(request: AuthorisationRequest, approval: Approval, createGrant: (consent: Consent) => Promise<string | undefined>, now?: Date): Promise<Consent>;
  /** The PSU denies: the consent is rejected. */
  denyConsent(request: AuthorisationRequest, partyId: string, now?: Date): Promise<void>;
  /** The TPP starts an SCA of its consent (see `ScaAuthorisation`). */
  startSca(input: NewScaAuthorisation, now?: Date): Promise<ScaAuthorisation>;
  /** An SCA of the TPP's own consent, as of now; anything else is SCA_UNKNOWN. */
  findScaOfClient(request: { id: string; consentId: string; clientId: string; purpose: ScaPurpose }, now?: Date): Promise<ScaAuthorisation>;
  /** The ids of a consent's SCAs of a purpose, oldest first (the TPP's own consent only). */
  listScaIds(request: { consentId: string; clientId: string; purpose: ScaPurpose }): Promise<string[]>;
  /** The PSU side: an SCA not ended, for the bank's pages. */
  openSca(id: string, now?: Date): Promise<ScaAuthorisation>;
  /** The PSU side: records a step of the PSU (`psuId` null only for a failure before anyone identified). */
  advanceSca(id: string, status: Exclude<ScaStatus, 'received'>, psuId: string | null, now?: Date): Promise<ScaAuthorisation>;
  /**
   * The PSU side of a cancellation SCA: the payment consent it would cancel, if it is this PSU's
   * (the PSU who authorised the payment); another PSU's is CONSENT_UNKNOWN.
   */
  describeCancellationForPsu(scaId: string, psuId: string, now?: Date): Promise<Consent>;
  /**
   * The PSU confirms a cancellation once both factors were verified on the SCA: the SCA is
   * finalised and the payment order stopped in one transaction (see `confirmCancellation`).
   */
  confirmCancellation(scaId: string, psuId: string, now?: Date): Promise<ScaAuthorisation>;
}

export interface PsuAuthorisationModuleDeps {
  /** The consents the PSU decides on. */
  readonly consents: ConsentsApi;
  readonly core: CoreBanking;
  /** Verifies the one-time code of a payment's dynamic linking. */
  readonly psuIdentity: Pick<PsuIdentityApi, 'verifyOneTimeCode'>;
  /** Where SCA authorisations are kept. */
  readonly db: Db;
  /** Stops the payment order a confirmed cancellation SCA names (the payments module's); without it no cancellation is confirmed. */
  readonly cancelPaymentOrder?: CancelPaymentOrder | undefined;
}

export function createPsuAuthorisationModule(deps: PsuAuthorisationModuleDeps): PsuAuthorisationApi {
  const { consents, core, psuIdentity } = deps;
  const scas = createKyselyScaAuthorisationsRepository(deps.db);
  const cancellation = { consents, scas, uow: createUnitOfWork(deps.db), cancelPaymentOrder: deps.cancelPaymentOrder };
  return {
    findAuthorisableConsent: (request, now) => findAuthorisableConsent(consents, request, now),
    describeConsentForPsu: (request, partyId, now) => describeConsentForPsu(consents, core, request, partyId, now),
    approveConsent: (request, approval, createGrant, now) => approveConsent(consents, psuIdentity, core, request, approval, createGrant, now),
    denyConsent: (request, partyId, now) => denyConsent(consents, core, request, partyId, now),
    startSca: (input, now = new Date()) => startScaAuthorisation(consents, scas, input, now),
    findScaOfClient: (request, now = new Date()) => findScaOfClient(scas, request, now),
    listScaIds: async (request) => (await scas.listOfConsent(request.consentId, request.purpose)).filter((sca) => sca.clientId === request.clientId).map((sca) => sca.id),
    openSca: (id, now = new Date()) => openSca(scas, id, now),
    advanceSca: (id, status, psuId, now = new Date()) => advanceSca(scas, id, status, psuId, now),
    describeCancellationForPsu: async (scaId, psuId, now = new Date()) => (await cancellationForPsu(cancellation, scaId, psuId, now)).consent,
    confirmCancellation: (scaId, psuId, now) => confirmCancellation(cancellation, scaId, psuId, now),
  };
}
