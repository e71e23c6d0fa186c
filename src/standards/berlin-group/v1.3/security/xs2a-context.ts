import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Consent } from '../../../../modules/consents/index.ts';
import { freshnessNow, type Freshness } from '../../../../modules/accounts/index.ts';
import type { AppError } from '../../../../platform/errors/index.ts';

/** The TPP a request comes from, as its QWAC identifies it now. */
export interface Xs2aTpp {
  /** The owner of the TPP's consents: one per organisation (XS2A has no OAuth clients). */
  readonly clientId: string;
  readonly organisationId: string;
  readonly legalName: string;
  /** PSD2 roles the QWAC carries and the TPP holds now: AISP, PISP, CBPII. */
  readonly roles: readonly string[];
}

/** The directory's verdict on a certificate: its organisation and roles now, or why it is refused. */
export type Xs2aCertificateCheck = (
  der: Buffer,
  usage: 'transport' | 'signing',
  asOf?: Freshness,
) => Promise<{ ok: true; organisation: { id: string; legalName: string }; roles: readonly string[] } | { ok: false; error: AppError }>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `identifyTpp`. */
    xs2aTpp: Xs2aTpp | null;
    /** Set by `checkConsentValid`: the consent the Consent-ID header names. */
    xs2aConsent: Consent | null;
    /** Set by the first step that asks: when this request's checks began. */
    xs2aChecksAsOf: Freshness | null;
  }
}

/** One named security step (DESIGN.md §2.3), attached as an `onRequest` hook. */
export type Xs2aStep = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export function decorateXs2aContext(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('xs2aTpp')) app.decorateRequest('xs2aTpp', null);
  if (!app.hasRequestDecorator('xs2aConsent')) app.decorateRequest('xs2aConsent', null);
  if (!app.hasRequestDecorator('xs2aChecksAsOf')) app.decorateRequest('xs2aChecksAsOf', null);
}

export function checksAsOf(request: FastifyRequest): Freshness {
  return (request.xs2aChecksAsOf ??= freshnessNow());
}

/** The identified TPP; throws (a 500, never a pass) when `identifyTpp` did not run. */
export function tppOf(request: FastifyRequest): Xs2aTpp {
  if (!request.xs2aTpp) throw new Error('no identified TPP on the request: identifyTpp must run first');
  return request.xs2aTpp;
}

/** The consent of the Consent-ID header; throws when `checkConsentValid` did not run. */
export function consentOf(request: FastifyRequest): Consent {
  if (!request.xs2aConsent) throw new Error('no consent on the request: checkConsentValid must run first');
  return request.xs2aConsent;
}

/** A header's single value (a repeated header is not one value). */
export function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
