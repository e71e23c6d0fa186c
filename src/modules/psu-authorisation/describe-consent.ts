import { AppError } from '../../platform/errors/index.ts';
import type { Account, CoreBanking } from '../../core/index.ts';
import { identifies } from '../accounts/index.ts';
import { accessScopeOf, accountKindsOf, type Consent, type ConsentsApi } from '../consents/index.ts';
import { PsuAuthorisationErrors } from './psu-authorisation.errors.ts';

export interface AuthorisationRequest {
  readonly consentId: string | undefined;
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
}

export interface ConsentForPsu {
  readonly consent: Consent;
  /** The PSU's accounts this consent may use: any enabled account of the kinds its scope covers for AIS, the payment currency for payments, the named one for funds confirmation. */
  readonly eligibleAccounts: Account[];
}

/** The OAuth scope an authorisation for a consent kind must carry (OB Security Profile). */
export function scopeFor(consent: Consent): string {
  if (consent.kind === 'account-access') return 'accounts';
  if (consent.kind === 'funds-confirmation') return 'fundsconfirmations';
  return 'payments';
}

/** The signing basket awaiting authorisation that holds a consent, if any (the signing baskets module's). */
export type PendingBasketOf = (consentId: string) => Promise<string | undefined>;

/**
 * Loads the consent an authorisation request names and checks it can be authorised at all, by
 * any PSU: it exists, it is the requesting TPP's own (not another TPP's, whatever id the request
 * carries), it has not expired, it awaits authorisation and the scope covers it. Checked before
 * the PSU is asked to log in, so a request that cannot succeed goes back to the TPP at once.
 */
export async function findAuthorisableConsent(consents: Pick<ConsentsApi, 'find'>, request: AuthorisationRequest, now: Date = new Date(), pendingBasketOf?: PendingBasketOf): Promise<Consent> {
  if (!request.consentId) throw new AppError(PsuAuthorisationErrors.NO_INTENT);
  const consent = await consents.find(request.consentId, now);
  if (!consent || consent.clientId !== request.clientId) throw new AppError(PsuAuthorisationErrors.CONSENT_UNKNOWN);
  if (consent.status === 'expired' || (consent.expiresAt !== null && consent.expiresAt <= now)) throw new AppError(PsuAuthorisationErrors.CONSENT_EXPIRED);
  if (consent.status !== 'awaiting-authorisation') throw new AppError(PsuAuthorisationErrors.CONSENT_NOT_AWAITING);
  if (!request.scopes.has(scopeFor(consent))) throw new AppError(PsuAuthorisationErrors.SCOPE_MISMATCH);
  // A member of a signing basket awaiting authorisation is authorised with its basket, by its one SCA, and not alone meanwhile.
  if (pendingBasketOf && (await pendingBasketOf(consent.id))) throw new AppError(PsuAuthorisationErrors.CONSENT_IN_BASKET);
  return consent;
}

/**
 * The consent as this PSU may authorise it: `findAuthorisableConsent`, and the PSU has an account
 * it can use.
 */
export async function describeConsentForPsu(
  consents: Pick<ConsentsApi, 'find'>,
  core: CoreBanking,
  request: AuthorisationRequest,
  partyId: string,
  now: Date = new Date(),
  pendingBasketOf?: PendingBasketOf,
): Promise<ConsentForPsu> {
  const consent = await findAuthorisableConsent(consents, request, now, pendingBasketOf);
  const eligibleAccounts = await eligibleAccountsOf(core, consent, partyId);
  if (eligibleAccounts.length === 0) throw new AppError(PsuAuthorisationErrors.NO_ELIGIBLE_ACCOUNT);
  return { consent, eligibleAccounts };
}

/** The PSU's enabled accounts a consent may use: the payment's currency (and named debtor account), the funds check's account, or the named accounts (of the kinds its scope covers) of an access consent. */
export async function eligibleAccountsOf(core: CoreBanking, consent: Consent, partyId: string): Promise<Account[]> {
  // Card accounts only for account information whose scope covers them: never to pay from or to confirm funds on.
  const kinds = consent.kind === 'account-access' ? accountKindsOf(accessScopeOf(consent)) : ['payment'];
  const [payment, cards] = await Promise.all([
    kinds.includes('payment') ? core.listAccountsOfParty(partyId) : [],
    kinds.includes('card') ? core.listCardAccountsOfParty(partyId) : [],
  ]);
  const accounts = [...payment, ...cards].filter((a) => a.status === 'Enabled');
  return consent.payment
    ? accounts.filter((a) => a.currency === consent.payment!.currency && (!consent.payment!.debtorAccountId || a.id === consent.payment!.debtorAccountId))
    : consent.kind === 'funds-confirmation'
      ? // OB v4.0 CBPII: the consent is for the one DebtorAccount the TPP named, if the PSU holds it.
        accounts.filter((a) => consent.accountIds.includes(a.id))
      : namedAccountsOf(consent, accounts);
}

/**
 * The accounts an account-access consent may be authorised on: any of the PSU's of the kinds its
 * scope covers (payment accounts, and card accounts where it says so), unless the TPP
 * named accounts (Berlin Group `access.accounts`/`balances`/`transactions`): then only the PSU's
 * accounts it named — a consent naming someone else's account has nothing this PSU can authorise.
 */
function namedAccountsOf(consent: Consent, accounts: Account[]): Account[] {
  const selection = accessScopeOf(consent).accounts;
  if (typeof selection === 'string') return accounts;
  const named = Object.values(selection.named).flat();
  return accounts.filter((account) => named.some((identifier) => identifier && identifies(account, identifier)));
}
