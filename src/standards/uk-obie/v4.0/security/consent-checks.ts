import { AccountErrors, grantsAccess, type AccountsApi, type AisResource } from '../../../../modules/accounts/index.ts';
import { accessScopeOf, ConsentErrors, type ConsentKind, type ConsentsApi } from '../../../../modules/consents/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { authorisedConsentOf, freshnessOf, verifiedTokenOf, type SecurityStep } from './security-context.ts';
import { SecurityErrors } from './security.errors.ts';

/*
 * The consent steps of the PSU-authorised route families (DESIGN.md §2.3), each a small named
 * function: the token's consent is authorised, unexpired and the caller's, its access scope covers
 * the resource, and the accounts read are ones the scope lets the resource be read on.
 */

export interface CheckConsentAuthorisedOptions {
  /** Consents as fresh as the database (src/modules/consents `ConsentsApi.findForRequest`). */
  readonly consents: Pick<ConsentsApi, 'findForRequest'>;
  /** The consent kind the API serves (`account-access` for AIS, …). */
  readonly kind: ConsentKind;
  /**
   * Let a Consumed consent through too (payment submission only): a repeat of the submission that
   * consumed it must still reach its idempotency check, which answers with the payment it created.
   * The use case consumes the consent atomically, so a new submission under it is still refused.
   */
  readonly acceptConsumed?: boolean;
  readonly now?: () => Date;
}

/**
 * For an authorization-code token: the consent it was issued under (`openbanking_intent_id`)
 * exists, belongs to the token's client and PSU, is of this API's kind, and is Authorised and unexpired
 * now — as fresh as the database on every call (a revocation retires every cached copy), so a
 * revocation by the PSU or the TPP applies to the next request.
 * The consent is recorded as `request.authorisedConsent`. Runs after `checkGrantType('authorization_code')`.
 */
export function checkConsentAuthorised(options: CheckConsentAuthorisedOptions): SecurityStep {
  const now = options.now ?? (() => new Date());
  return async (request) => {
    const token = verifiedTokenOf(request);
    if (token.kind !== 'authorization_code' || !token.consentId) throw new AppError(SecurityErrors.CONSENT_MISMATCH);
    const consent = await options.consents.findForRequest(token.consentId, now(), freshnessOf(request));
    if (!consent || consent.clientId !== token.clientId || consent.kind !== options.kind) throw new AppError(SecurityErrors.CONSENT_MISMATCH);
    // The token acts for the PSU who authorised the consent, never for another one.
    if (consent.psuId !== null && token.psuId !== consent.psuId) throw new AppError(SecurityErrors.CONSENT_MISMATCH);
    // OB v4.0: a consent past its ExpirationDateTime reads as Expired (EXPD).
    if (consent.status === 'expired') throw new AppError(ConsentErrors.EXPIRED);
    if (consent.status !== 'authorised' && !(options.acceptConsumed && consent.status === 'consumed')) throw new AppError(ConsentErrors.NOT_AUTHORISED);
    request.authorisedConsent = consent;
  };
}

/**
 * The authorised consent's access scope covers this resource (OB v4.0 AIS profile, "Permissions"):
 * otherwise 403, whatever the account. Runs after `checkConsentAuthorised`.
 */
export function checkPermission(resource: AisResource): SecurityStep {
  return async (request) => {
    if (!grantsAccess(accessScopeOf(authorisedConsentOf(request)), resource)) throw new AppError(AccountErrors.PERMISSION_MISSING);
  };
}

/**
 * The `{AccountId}` of the path is one the consent's access scope lets this resource be read on:
 * selected by the PSU and, where the scope names accounts per kind of data, named for this one.
 * The account behind it is recorded as `request.consentedAccountId`. An unknown id, another PSU's
 * account, an unselected one and one not named are the same 403. Runs after `checkPermission`.
 */
export function checkAccountInConsent(reads: Pick<AccountsApi, 'resolveAccount'>, resource: AisResource): SecurityStep {
  return async (request) => {
    const accountRef = (request.params as { AccountId?: unknown }).AccountId;
    request.consentedAccountId = await reads.resolveAccount(authorisedConsentOf(request), typeof accountRef === 'string' ? accountRef : '', resource, freshnessOf(request));
  };
}

/**
 * For a read of all the consent's accounts (`GET /balances` …): records as `request.readableAccountIds`
 * those the access scope lets this resource be read on — every account the PSU selected, or, where
 * the scope names accounts per kind of data, only those named for this one. Refuses nothing: a
 * consent whose accounts are all out of scope reads as empty. Runs after `checkPermission`.
 */
export function checkAccountsInConsent(reads: Pick<AccountsApi, 'readableAccounts'>, resource: AisResource): SecurityStep {
  return async (request) => {
    const consent = authorisedConsentOf(request);
    request.readableAccountIds = await reads.readableAccounts(consent, resource, consent.accountIds, freshnessOf(request));
  };
}
