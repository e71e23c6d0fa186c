import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VerifiedAccessToken } from '../../../../auth/index.ts';
import type { Consent } from '../../../../modules/consents/index.ts';
import { freshnessNow, type Freshness } from '../../../../modules/accounts/index.ts';

export type { Freshness };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `checkAccessToken`: the verified access token of the request. */
    verifiedAccessToken: VerifiedAccessToken | null;
    /** Set by `checkConsentAuthorised`: the authorised consent the token acts under. */
    authorisedConsent: Consent | null;
    /** Set by `checkAccountInConsent`: the account behind the path's AccountId. */
    consentedAccountId: string | null;
    /** Set by `checkAccountsInConsent`: the consent's accounts a read of all of them covers. */
    readableAccountIds: readonly string[] | null;
    /** Set by `freshnessOf`: when the checks of this request began. */
    checksAsOf: Freshness | null;
  }
}

/**
 * One named security step (DESIGN.md §2.3): a Fastify hook that throws an AppError to refuse the
 * request and otherwise lets it through, possibly recording what it established on the request.
 * Steps are attached as `onRequest` hooks, so they run in the order listed and before the body is
 * parsed or validated: an unauthenticated caller learns nothing from schema errors and costs no parse.
 */
export type SecurityStep = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Adds the request properties the steps fill in. Call once in each route-family plugin. */
export function decorateSecurityContext(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('verifiedAccessToken')) app.decorateRequest('verifiedAccessToken', null);
  if (!app.hasRequestDecorator('authorisedConsent')) app.decorateRequest('authorisedConsent', null);
  if (!app.hasRequestDecorator('consentedAccountId')) app.decorateRequest('consentedAccountId', null);
  if (!app.hasRequestDecorator('readableAccountIds')) app.decorateRequest('readableAccountIds', null);
  if (!app.hasRequestDecorator('checksAsOf')) app.decorateRequest('checksAsOf', null);
}

/**
 * When this request's checks began, stamped by the first step that asks — within the event-loop
 * turn the request arrived in, before anything was read for it. Every read of the shared cache a
 * check relies on must be issued at or after this moment (src/platform/cache `Freshness`): so
 * checks may take up reads issued since by a read-ahead or a concurrent request, and still see
 * every revocation completed before the request arrived.
 */
export function freshnessOf(request: FastifyRequest): Freshness {
  return (request.checksAsOf ??= freshnessNow());
}

/**
 * The verified token, for route handlers and later steps. Throws (a 500, never a pass) when
 * `checkAccessToken` did not run: a pipeline composed in the wrong order fails closed.
 */
export function verifiedTokenOf(request: FastifyRequest): VerifiedAccessToken {
  const token = request.verifiedAccessToken;
  if (!token) throw new Error('no verified access token on the request: checkAccessToken must run first');
  return token;
}

/** The authorised consent, for route handlers; throws when `checkConsentAuthorised` did not run. */
export function authorisedConsentOf(request: FastifyRequest): Consent {
  const consent = request.authorisedConsent;
  if (!consent) throw new Error('no authorised consent on the request: checkConsentAuthorised must run first');
  return consent;
}

/** The account of the path's AccountId, for route handlers; throws when `checkAccountInConsent` did not run. */
export function consentedAccountOf(request: FastifyRequest): string {
  const accountId = request.consentedAccountId;
  if (!accountId) throw new Error('no consented account on the request: checkAccountInConsent must run first');
  return accountId;
}

/** The accounts a read of all the consent's accounts covers; throws when `checkAccountsInConsent` did not run. */
export function readableAccountsOf(request: FastifyRequest): readonly string[] {
  const accountIds = request.readableAccountIds;
  if (!accountIds) throw new Error('no readable accounts on the request: checkAccountsInConsent must run first');
  return accountIds;
}
