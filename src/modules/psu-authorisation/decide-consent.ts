import { AppError } from '../../platform/errors/index.ts';
import type { CoreBanking } from '../../core/index.ts';
import { scaBindingOf, type Consent, type ConsentsApi } from '../consents/index.ts';
import type { PsuIdentityApi } from '../psu-identity/index.ts';
import { describeConsentForPsu, type AuthorisationRequest, type PendingBasketOf } from './describe-consent.ts';
import { PsuAuthorisationErrors } from './psu-authorisation.errors.ts';

export interface Approval {
  readonly psuId: string;
  readonly partyId: string;
  readonly accountIds: readonly string[];
  /** Payments: the one-time code the PSU entered on the screen showing amount and payee. */
  readonly oneTimeCode?: string | undefined;
  /** Payments: the binding rendered with that screen (see `scaBindingOf`). */
  readonly shownBinding?: string | undefined;
  /** Where the approval comes from (client address): one-time code attempts are throttled per source. */
  readonly source: string;
}

/**
 * The PSU approves: the chosen accounts must be theirs and eligible; for a payment, the one-time
 * code is verified on the screen that showed amount and payee, and the binding of what was shown
 * must equal the binding of the consent as stored now (PSD2 RTS Art. 5: a changed amount or payee
 * invalidates the code). The grant is created by the caller (authorisation server) through
 * `createGrant`, only once every check has passed.
 */
export async function approveConsent(
  consents: Pick<ConsentsApi, 'find' | 'authorise'>,
  identity: Pick<PsuIdentityApi, 'verifyOneTimeCode'>,
  core: CoreBanking,
  request: AuthorisationRequest,
  approval: Approval,
  createGrant: (consent: Consent) => Promise<string | undefined>,
  now: Date = new Date(),
  pendingBasketOf?: PendingBasketOf,
): Promise<Consent> {
  const { consent, eligibleAccounts } = await describeConsentForPsu(consents, core, request, approval.partyId, now, pendingBasketOf);
  const chosen = [...new Set(approval.accountIds)];
  if (chosen.length === 0) throw new AppError(PsuAuthorisationErrors.ACCOUNTS_REQUIRED);
  const eligible = new Set(eligibleAccounts.map((a) => a.id));
  if (chosen.some((id) => !eligible.has(id)) || (consent.payment && chosen.length !== 1)) {
    throw new AppError(PsuAuthorisationErrors.ACCOUNT_NOT_ELIGIBLE);
  }
  let scaBinding: string | undefined;
  if (consent.payment) {
    scaBinding = scaBindingOf(consent.id, consent.payment);
    if (approval.shownBinding !== scaBinding) throw new AppError(PsuAuthorisationErrors.PAYMENT_CHANGED);
    await identity.verifyOneTimeCode(approval.psuId, approval.oneTimeCode ?? '', { now, source: approval.source });
  }
  const grantId = await createGrant(consent);
  return consents.authorise(consent.id, { psuId: approval.psuId, partyId: approval.partyId, accountIds: chosen, grantId, scaBinding }, now);
}

/** The PSU denies: the consent is rejected and the TPP learns `access_denied`. */
export async function denyConsent(consents: Pick<ConsentsApi, 'find' | 'reject'>, core: CoreBanking, request: AuthorisationRequest, partyId: string, now: Date = new Date(), pendingBasketOf?: PendingBasketOf): Promise<void> {
  const { consent } = await describeConsentForPsu(consents, core, request, partyId, now, pendingBasketOf);
  await consents.reject(consent.id, now);
}
