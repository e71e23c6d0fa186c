import type { CoreBanking } from '../../core/index.ts';
import { createUnitOfWork, type Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { PsuAuthorisationErrors } from './psu-authorisation.errors.ts';
import type { Consent, ConsentsApi } from '../consents/index.ts';
import type { PsuIdentityApi } from '../psu-identity/index.ts';
import type { SigningBasketsApi } from '../signing-baskets/index.ts';
import { approveSigningBasket, denySigningBasket, describeSigningBasketForPsu, findAuthorisableBasket, startSigningBasketSca, type SigningBasketForPsu } from './authorise-signing-basket.ts';
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
  /** The PSU side of a signing basket's SCA (purpose `authorise-basket`): the basket, if any PSU could authorise it now (else it fails before the PSU types anything). */
  findAuthorisableSigningBasket(scaId: string, now?: Date): Promise<void>;
  /** The basket as this PSU may authorise it: every member theirs, with the binding of the one screen that shows them all. */
  describeSigningBasketForPsu(scaId: string, partyId: string, now?: Date): Promise<SigningBasketForPsu>;
  /** The PSU approves the basket with the code entered on that screen: every member authorised with the SCA finalised, in one transaction. */
  approveSigningBasket(scaId: string, approval: Omit<Approval, 'accountIds'>, now?: Date): Promise<ScaAuthorisation>;
  /** The PSU denies the basket: it is rejected, its members are not. */
  denySigningBasket(scaId: string, now?: Date): Promise<void>;
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
  /** Signing baskets: their SCAs, and the consents authorised only with their basket meanwhile. Without it no basket is authorised. */
  readonly signingBaskets?: SigningBasketsApi | undefined;
}

export function createPsuAuthorisationModule(deps: PsuAuthorisationModuleDeps): PsuAuthorisationApi {
  const { consents, core, psuIdentity } = deps;
  const scas = createKyselyScaAuthorisationsRepository(deps.db);
  const uow = createUnitOfWork(deps.db);
  const cancellation = { consents, scas, uow, cancelPaymentOrder: deps.cancelPaymentOrder };
  const pendingBasketOf = deps.signingBaskets ? deps.signingBaskets.pendingBasketOf.bind(deps.signingBaskets) : undefined;
  const baskets = () => {
    if (!deps.signingBaskets) throw new AppError(PsuAuthorisationErrors.SCA_UNKNOWN);
    return { consents, baskets: deps.signingBaskets, scas, uow, core, identity: psuIdentity };
  };
  return {
    findAuthorisableConsent: (request, now) => findAuthorisableConsent(consents, request, now, pendingBasketOf),
    describeConsentForPsu: (request, partyId, now) => describeConsentForPsu(consents, core, request, partyId, now, pendingBasketOf),
    approveConsent: (request, approval, createGrant, now) => approveConsent(consents, psuIdentity, core, request, approval, createGrant, now, pendingBasketOf),
    denyConsent: (request, partyId, now) => denyConsent(consents, core, request, partyId, now, pendingBasketOf),
    startSca: (input, now = new Date()) => (input.purpose === 'authorise-basket' ? startSigningBasketSca(baskets(), input, now) : startScaAuthorisation(consents, scas, input, now, pendingBasketOf)),
    findScaOfClient: (request, now = new Date()) => findScaOfClient(scas, request, now),
    listScaIds: async (request) => (await scas.listOfConsent(request.consentId, request.purpose)).filter((sca) => sca.clientId === request.clientId).map((sca) => sca.id),
    openSca: (id, now = new Date()) => openSca(scas, id, now),
    advanceSca: (id, status, psuId, now = new Date()) => advanceSca(scas, id, status, psuId, now),
    describeCancellationForPsu: async (scaId, psuId, now = new Date()) => (await cancellationForPsu(cancellation, scaId, psuId, now)).consent,
    confirmCancellation: (scaId, psuId, now) => confirmCancellation(cancellation, scaId, psuId, now),
    findAuthorisableSigningBasket: async (scaId, now = new Date()) => void (await findAuthorisableBasket(baskets(), scaId, now)),
    describeSigningBasketForPsu: (scaId, partyId, now = new Date()) => describeSigningBasketForPsu(baskets(), scaId, partyId, now),
    approveSigningBasket: (scaId, approval, now) => approveSigningBasket(baskets(), scaId, approval, now),
    denySigningBasket: (scaId, now) => denySigningBasket(baskets(), scaId, now),
  };
}
