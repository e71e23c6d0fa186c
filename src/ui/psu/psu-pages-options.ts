import type Provider from 'oidc-provider';
import type { CoreBanking } from '../../core/index.ts';
import type { Consent } from '../../modules/consents/index.ts';
import type { VrpLimitUsage } from '../../modules/payments/index.ts';
import type { PsuAuthorisationApi } from '../../modules/psu-authorisation/index.ts';
import type { PsuIdentityApi } from '../../modules/psu-identity/index.ts';

/** Short-lived page state (PSU sessions, an authorisation's first factor): the shared cache. */
export interface PageStateStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
}

/** The PSU's consents as their pages show and stop them. */
export interface PsuConsentsView {
  /** Authorised consents, any kind. */
  listCurrent(psuId: string): Promise<Consent[]>;
  /** Ended consents (expired, revoked, ...), for the history. */
  listEnded(psuId: string): Promise<Consent[]>;
  listPayments(psuId: string): Promise<Consent[]>;
  find(consentId: string): Promise<Consent | undefined>;
  /** The PSU stops a consent; effective on the provider's next call. */
  revokeByPsu(consentId: string): Promise<Consent>;
  /** How much of a recurring-payment consent's limits is used. */
  vrpUsage(consent: Consent): Promise<VrpLimitUsage[]>;
}

/** What the PSU pages are built on: module APIs, never the database or the cache. */
export interface PsuPagesOptions {
  readonly provider: Provider;
  readonly pageState: PageStateStore;
  readonly psuIdentity: PsuIdentityApi;
  readonly psuAuthorisation: PsuAuthorisationApi;
  readonly consents: PsuConsentsView;
  /** The legal name of a TPP's organisation in the directory, if it has one. */
  readonly organisationLegalName: (organisationId: string) => Promise<string | undefined>;
  readonly core: CoreBanking;
}
