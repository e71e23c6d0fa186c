import type { CoreBanking } from '../../core/index.ts';
import type { Consent, ConsentsApi } from '../consents/index.ts';
import { confirmFunds } from './confirm-funds.ts';
import { getFundsConfirmationConsentForClient, revokeFundsConfirmationConsent } from './funds-confirmation-consents.ts';
import type { FundsCheck, FundsConfirmation, NewFundsConfirmationConsent } from './funds-model.ts';
import { stageFundsConfirmationConsent } from './stage-funds-confirmation-consent.ts';

/** Confirmation of funds: consents for one named account, and yes/no answers under them. */
export interface FundsApi {
  /** Stages a funds-confirmation consent (awaiting authorisation) for the named account. */
  stageConsent(input: NewFundsConfirmationConsent, now?: Date): Promise<Consent>;
  /** A funds-confirmation consent as its CBPII sees it; another TPP's or another kind is CONSENT.NOT_FOUND. */
  getConsentForClient(id: string, clientId: string, now?: Date): Promise<Consent>;
  /** The CBPII withdraws its consent; effective on the next call everywhere. */
  revokeConsent(id: string, clientId: string, now?: Date): Promise<Consent>;
  /** Whether the account of the authorised consent could pay the amount now. */
  confirmFunds(consent: Consent, check: FundsCheck, now?: Date): Promise<FundsConfirmation>;
}

export interface FundsModuleDeps {
  /** The consents module: funds-confirmation consents are consents. */
  readonly consents: ConsentsApi;
  readonly core: Pick<CoreBanking, 'findAccountByIdentifier' | 'getAccount' | 'checkFunds'>;
}

export function createFundsModule(deps: FundsModuleDeps): FundsApi {
  const { consents, core } = deps;
  return {
    stageConsent: (input, now) => stageFundsConfirmationConsent({ consents, core }, input, now),
    getConsentForClient: (id, clientId, now) => getFundsConfirmationConsentForClient(consents, id, clientId, now),
    revokeConsent: (id, clientId, now) => revokeFundsConfirmationConsent(consents, id, clientId, now),
    confirmFunds: (consent, check, now) => confirmFunds(core, consent, check, now),
  };
}
