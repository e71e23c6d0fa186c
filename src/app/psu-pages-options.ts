import type Provider from 'oidc-provider';
import type { CoreBanking } from '../core/index.ts';
import type { ConsentsApi } from '../modules/consents/index.ts';
import { createDirectoryModule } from '../modules/directory/index.ts';
import type { PaymentsApi } from '../modules/payments/index.ts';
import { createPsuAuthorisationModule } from '../modules/psu-authorisation/index.ts';
import type { SigningBasketsApi } from '../modules/signing-baskets/index.ts';
import { createPsuIdentityModule, relyingPartyFor, type LoginGuard } from '../modules/psu-identity/index.ts';
import type { Cache } from '../platform/cache/index.ts';
import type { Db } from '../platform/db/index.ts';
import type { PsuPagesOptions } from '../ui/psu/index.ts';
import { auditedPsuAuthorisation, auditedPsuIdentity, type RecordStep } from './audited-psu-steps.ts';

export interface PsuPagesDeps {
  readonly db: Db;
  readonly cache: Cache;
  readonly consents: ConsentsApi;
  readonly core: CoreBanking;
  /** The PSU's dashboard shows how much of each VRP limit is used; a confirmed cancellation stops a payment order. */
  readonly payments: Pick<PaymentsApi, 'vrpUsage' | 'cancelPaymentOrder'>;
  /** Signing baskets the PSU authorises with one SCA. */
  readonly signingBaskets?: SigningBasketsApi | undefined;
  readonly provider: Provider;
  readonly loginGuard: LoginGuard;
  readonly publicUrl: string;
  /** Records each PSU authentication and authorisation step in the audit trail. */
  readonly recordStep: RecordStep;
}

/** The PSU pages' module APIs. */
export function psuPagesOptions(deps: PsuPagesDeps): PsuPagesOptions {
  const { db, cache, consents, core, provider, loginGuard } = deps;
  const directory = createDirectoryModule({ db, cache });
  const psuIdentity = auditedPsuIdentity(createPsuIdentityModule({ db, cache, loginGuard, relyingParty: relyingPartyFor(deps.publicUrl) }), deps.recordStep);
  return {
    provider,
    pageState: cache,
    psuIdentity,
    psuAuthorisation: auditedPsuAuthorisation(createPsuAuthorisationModule({ consents, core, psuIdentity, db, cancelPaymentOrder: (tx, request, now) => deps.payments.cancelPaymentOrder(tx, request, now), signingBaskets: deps.signingBaskets }), deps.recordStep),
    consents: {
      listCurrent: (psuId) => consents.listOfPsu(psuId),
      listEnded: (psuId) => consents.listEndedOfPsu(psuId),
      listPayments: (psuId) => consents.listPaymentsOfPsu(psuId),
      find: (consentId) => consents.find(consentId),
      revokeByPsu: (consentId) => consents.revoke(consentId, 'PSU'),
      vrpUsage: (consent) => deps.payments.vrpUsage(consent),
    },
    organisationLegalName: async (organisationId) => (await directory.getOrganisation(organisationId).catch(() => undefined))?.legalName,
    core,
  };
}
