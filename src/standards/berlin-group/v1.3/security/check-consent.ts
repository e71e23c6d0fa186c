import { AccountErrors, grantsAccess, type AccountsApi, type AisResource } from '../../../../modules/accounts/index.ts';
import { accessScopeOf, ConsentErrors, type AccountKind, type ConsentKind, type ConsentsApi } from '../../../../modules/consents/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { psuPresent } from './request-headers.ts';
import { checksAsOf, consentOf, headerOf, tppOf, type Xs2aStep } from './xs2a-context.ts';

/**
 * The `Consent-ID` header names a consent of this TPP of `kind` (account access by default) that is valid now — read as
 * fresh as the database on every call, so a revocation by the PSU (the dashboard) or the TPP
 * applies to the next request at every instance. Unknown and foreign ids answer alike.
 */
export function checkConsentValid(consents: Pick<ConsentsApi, 'findForRequest'>, now: () => Date, kind: ConsentKind = 'account-access'): Xs2aStep {
  return async (request) => {
    const id = headerOf(request, 'consent-id');
    if (!id) throw new AppError(Xs2aErrors.CONSENT_ID_MISSING, { details: [{ path: 'Consent-ID' }] });
    const consent = await consents.findForRequest(id, now(), checksAsOf(request));
    if (!consent || consent.clientId !== tppOf(request).clientId || consent.kind !== kind) throw new AppError(Xs2aErrors.CONSENT_UNKNOWN);
    if (consent.status === 'expired') throw new AppError(ConsentErrors.EXPIRED);
    if (consent.status !== 'authorised') throw new AppError(ConsentErrors.NOT_AUTHORISED);
    request.xs2aConsent = consent;
  };
}

/** The consent's access covers this kind of data (`CONSENT_INVALID` otherwise). */
export function checkConsentCovers(resource: AisResource): Xs2aStep {
  return async (request) => {
    if (!grantsAccess(accessScopeOf(consentOf(request)), resource)) throw new AppError(AccountErrors.PERMISSION_MISSING);
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `checkAccountInConsent`: the account behind the path's account-id. */
    xs2aAccountId: string | null;
  }
}

/**
 * The path's `account-id` is an account of this kind (`/accounts`: payment accounts, `/card-accounts`:
 * card accounts) the consent covers for this resource; one of the other kind is refused as one the
 * consent does not cover.
 */
export function checkAccountInConsent(reads: Pick<AccountsApi, 'resolveAccount'>, resource: AisResource, kind: AccountKind = 'payment'): Xs2aStep {
  return async (request) => {
    const accountRef = (request.params as { accountId?: unknown }).accountId;
    request.xs2aAccountId = await reads.resolveAccount(consentOf(request), typeof accountRef === 'string' ? accountRef : '', resource, checksAsOf(request), kind);
  };
}

/**
 * Unless the PSU takes part (PSU-IP-Address), the read counts against the consent's
 * `frequencyPerDay` for its account (the list: the consent's list) and resource — 429
 * ACCESS_EXCEEDED once used up today. A `preHandler`, so it runs after the request signature was
 * verified: a forged or refused request uses up none of the TPP's reads.
 */
export function countUnattendedRead(consents: Pick<ConsentsApi, 'countUnattendedAccess'>, resource: AisResource, now: () => Date): Xs2aStep {
  return async (request) => {
    if (!psuPresent(request)) await consents.countUnattendedAccess(consentOf(request), request.xs2aAccountId ?? '*', resource, now());
  };
}
