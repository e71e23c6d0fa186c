import { AppError } from '../../platform/errors/index.ts';
import type { Account, CoreBanking } from '../../core/index.ts';
import { identifies } from '../accounts/index.ts';
import { accessScopeOf, type Consent, type ConsentsApi } from '../consents/index.ts';
import { PsuAuthorisationErrors } from './psu-authorisation.errors.ts';

export interface AuthorisationRequest {
  readonly consentId: string | undefined;
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
}

export interface ConsentForPsu {
  readonly consent: Consent;
  /** The PSU's accounts this consent may use: any enabled account for AIS, the payment currency for payments, the named one for funds confirmation. */
  readonly eligibleAccounts: Account[];
}

/** The OAuth scope an authorisation for a consent kind must carry (OB Security Profile). */
export function scopeFor(consent: Consent): string {
  if (consent.kind === 'account-access') return 'accounts';
  if (consent.kind === 'funds-confirmation') return 'fundsconfirmations';
  return 'payments';
}

/**
 * Loads the consent an authorisation request names and checks it can be authorised at all, by
 * any PSU: it exists, it is the requesting TPP's own (not another TPP's, whatever id the request
 * carries), it has not expired, it awaits authorisation and the scope covers it. Checked before
 * the PSU is asked to log in, so a request that cannot succeed goes back to the TPP at once.
 */
export async function findAuthorisableConsent(consents: Pick<ConsentsApi, 'find'>, request: AuthorisationRequest, now: Date = new Date()): Promise<Consent> {
  if (!request.consentId) throw new AppError(PsuAuthorisationErrors.NO_INTENT);
  const consent = await consents.find(request.consentId, now);
  if (!consent || consent.clientId !== request.clientId) throw new AppError(PsuAuthorisationErrors.CONSENT_UNKNOWN);
  if (consent.status === 'expired' || (consent.expiresAt !== null && consent.expiresAt <= now)) throw new AppError(PsuAuthorisationErrors.CONSENT_EXPIRED);
  if (consent.status !== 'awaiting-authorisation') throw new AppError(PsuAuthorisationErrors.CONSENT_NOT_AWAITING);
  if (!request.scopes.has(scopeFor(consent))) throw new AppError(PsuAuthorisationErrors.SCOPE_MISMATCH);
  return consent;
}

/**
 * The consent as this PSU may authorise it: `findAuthorisableConsent`, and the PSU has an account
 * it can use.
 */
export async function describeConsentForPsu(consents: Pick<ConsentsApi, 'find'>, core: CoreBanking, request: AuthorisationRequest, partyId: string, now: Date = new Date()): Promise<ConsentForPsu> {
  const consent = await findAuthorisableConsent(consents, request, now);
  const accounts = (await core.listAccountsOfParty(partyId)).filter((a) => a.status === 'Enabled');
  const eligibleAccounts = consent.payment
    ? accounts.filter((a) => a.currency === consent.payment!.currency && (!consent.payment!.debtorAccountId || a.id === consent.payment!.debtorAccountId))
    : consent.kind === 'funds-confirmation'
      ? // OB v4.0 CBPII: the consent is for the one DebtorAccount the TPP named, if the PSU holds it.
        accounts.filter((a) => consent.accountIds.includes(a.id))
      : namedAccountsOf(consent, accounts);
  if (eligibleAccounts.length === 0) throw new AppError(PsuAuthorisationErrors.NO_ELIGIBLE_ACCOUNT);
  return { consent, eligibleAccounts };
}

/**
 * The accounts an account-access consent may be authorised on: any of the PSU's, unless the TPP
 * named accounts (Berlin Group `access.accounts`/`balances`/`transactions`): then only the PSU's
 * accounts it named — a consent naming someone else's account has nothing this PSU can authorise.
 */
function namedAccountsOf(consent: Consent, accounts: Account[]): Account[] {
  const selection = accessScopeOf(consent).accounts;
  if (typeof selection === 'string') return accounts;
  const named = Object.values(selection.named).flat();
  return accounts.filter((account) => named.some((identifier) => identifier && identifies(account, identifier)));
}
