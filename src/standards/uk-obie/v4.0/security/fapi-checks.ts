import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply } from 'fastify';
import type { AccessTokenVerifier, VerifiedAccessToken } from '../../../../auth/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { freshnessOf, verifiedTokenOf, type Freshness, type SecurityStep } from './security-context.ts';
import { SecurityErrors } from './security.errors.ts';

/*
 * The FAPI resource-server steps every OB API route family composes (DESIGN.md §2.3), each a small
 * named function: the transport (mTLS, the directory's verdict on the certificate) and the access
 * token (present and valid, bound to the certificate, of the right grant and scope), and the FAPI
 * interaction headers. The consent steps are in consent-checks.ts.
 */

/**
 * The request came over mutual TLS with a trusted client certificate (FAPI 1.0 Adv §6.2.1-1,
 * RFC 8705 §2): the handshake verified its chain against the client trust anchors, or the trusted
 * TLS-terminating proxy forwarded it (TRUST_PROXY_CLIENT_CERT_HEADER), or — where chains are the
 * directory's to check (eIDAS) — the handshake proved the key and `check-tpp-certificate` decides.
 * The server only requests certificates at the handshake (DESIGN.md §3), so this step is what
 * enforces mTLS per route.
 */
export function requireMtls(): SecurityStep {
  return async (request) => {
    const certificate = request.clientCertificate();
    if (!certificate) throw new AppError(SecurityErrors.CLIENT_CERTIFICATE_MISSING);
    if (!certificate.transportTrusted) {
      throw new AppError(SecurityErrors.CLIENT_CERTIFICATE_UNTRUSTED);
    }
  };
}

/**
 * Independent steps run side by side (each is still a whole named check): the request passes when
 * every one passes. When several fail, the first in the order given is the refusal, exactly as if
 * they ran one after another, and only the response headers of that step (and of the steps that
 * passed) are sent. Used where two checks each wait on the shared cache, to wait once.
 */
export function runConcurrently(...steps: SecurityStep[]): SecurityStep {
  return async (request, reply) => {
    const headers = steps.map(() => [] as Array<[string, string]>);
    const outcomes = await Promise.allSettled(steps.map((step, i) => step(request, headerRecorder(headers[i]!))));
    const refusal = outcomes.findIndex((outcome) => outcome.status === 'rejected');
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled' || i === refusal) for (const [name, value] of headers[i]!) reply.header(name, value);
    });
    if (refusal >= 0) throw (outcomes[refusal] as PromiseRejectedResult).reason;
  };
}

/** The part of the reply a security step may touch: it sets headers (e.g. `WWW-Authenticate`). */
function headerRecorder(into: Array<[string, string]>): FastifyReply {
  const recorder = {
    header(name: string, value: string) {
      into.push([name, value]);
      return recorder;
    },
  };
  return recorder as unknown as FastifyReply;
}

/**
 * The directory's verdict on a presented certificate (src/modules/directory `validateTppCertificate`),
 * as fresh as `asOf`, the moment the request's checks began.
 */
export type TppCertificateValidator = (der: Buffer, asOf: Freshness) => Promise<{ ok: true; roles: readonly string[] } | { ok: false; error: AppError }>;

/** The PSD2 role an API family is for (PSD2 Art. 65-67). */
export type TppRoleRequired = 'AISP' | 'PISP' | 'CBPII';

/**
 * The presented transport certificate is one the directory vouches for right now: registered,
 * unrevoked, its organisation active, and — when the API is for one PSD2 role — holding that role
 * now (in the certificate, the directory and, when held, the registers for the bank's country).
 * Read on every request, so revoking a certificate, suspending an organisation or a register
 * withdrawing a role applies to the TPP's next call, with a token it already holds (a token's
 * scopes were granted for the roles of its registration). Runs after `require-mtls`.
 */
export function checkTppCertificate(validate: TppCertificateValidator | undefined, role?: TppRoleRequired): SecurityStep {
  return async (request) => {
    const certificate = request.clientCertificate();
    if (!validate || !certificate) return;
    const verdict = await validate(certificate.der, freshnessOf(request));
    if (!verdict.ok) throw verdict.error;
    if (role && !verdict.roles.includes(role)) throw new AppError(SecurityErrors.TPP_ROLE_NOT_HELD, { message: `The TPP is not authorised as ${role} now: this API needs that role` });
  };
}

// RFC 6750 §2.1: `Bearer` (case-insensitive auth-scheme, RFC 9110 §11.1) then a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * A Bearer access token in the Authorization header (RFC 6750 §2.1; never the query or body, FAPI
 * 1.0 Adv §6.2.1-3 refuses those) that the authorisation server issued and that is still valid.
 * The verified token is recorded as `request.verifiedAccessToken`. Refusals are 401 with the
 * RFC 6750 §3 `WWW-Authenticate` challenge: no error code when no credentials were sent (§3.1),
 * `invalid_token` otherwise.
 */
export function checkAccessToken(verifier: Pick<AccessTokenVerifier, 'verify'>): SecurityStep {
  return async (request, reply) => {
    const header = request.headers.authorization;
    if (!header) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError(SecurityErrors.ACCESS_TOKEN_MISSING, { details: [{ path: 'Authorization' }] });
    }
    const token = BEARER.exec(header)?.[1];
    const verified = token ? await verifier.verify(token) : undefined;
    if (!verified) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(SecurityErrors.ACCESS_TOKEN_INVALID, { details: [{ path: 'Authorization' }] });
    }
    request.verifiedAccessToken = verified;
  };
}

/**
 * RFC 8705 §3: the token is bound to the certificate of this connection — the base64url SHA-256 of
 * the presented certificate's DER (§3.1 `x5t#S256`) equals the token's `cnf`. A token stolen from
 * one TPP is useless over another TPP's (or anyone's) TLS connection. Refused as `invalid_token`
 * (§3: "the protected resource MUST ... reject the request"). Runs after `checkAccessToken`.
 */
export function checkTokenBinding(): SecurityStep {
  return async (request, reply) => {
    const token = verifiedTokenOf(request);
    const certificate = request.clientCertificate();
    const presented = certificate?.sha256;
    const bound = Buffer.from(token.certificateThumbprint, 'base64url');
    if (!presented || presented.length !== bound.length || !timingSafeEqual(presented, bound)) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(SecurityErrors.TOKEN_BINDING_MISMATCH);
    }
  };
}

/**
 * The token comes from the grant the endpoint is defined for (OB v4.0: consent resources take a
 * client-credentials token, `TPPOAuth2Security`; account and payment resources a PSU's
 * authorization-code token, `PSUOAuth2Security`). A PSU token must not create consents, and a
 * client-credentials token must never read a PSU's accounts.
 */
export function checkGrantType(kind: VerifiedAccessToken['kind']): SecurityStep {
  return async (request, reply) => {
    const presented = verifiedTokenOf(request).kind;
    if (presented === kind) return;
    // A PSU resource asked with a client-credentials token: the token is not valid here, 401 with the
    // RFC 6750 §3 challenge (OBIE conformance suite v1.9.1, e.g. OB-400-BAL-101700, OB-400-STO-104101).
    // A PSU's token on a TPP endpoint stays 403: a valid token for another purpose.
    if (kind === 'authorization_code') {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(SecurityErrors.PSU_TOKEN_REQUIRED, { message: wrongGrantMessage(kind, presented), details: [{ path: 'Authorization' }] });
    }
    throw new AppError(SecurityErrors.WRONG_GRANT_TYPE, { message: wrongGrantMessage(kind, presented) });
  };
}

/** Says which grant the endpoint needs and which was presented, so a TPP knows which token to fetch. */
function wrongGrantMessage(needed: VerifiedAccessToken['kind'], presented: VerifiedAccessToken['kind']): string {
  const how = needed === 'authorization_code' ? " (the PSU's authorisation of the consent)" : ' (the TPP\'s own token from POST /token)';
  return `This endpoint needs an access token from the ${needed} grant${how}; ${presented === 'authorization_code' ? 'an' : 'a'} ${presented} token was presented`;
}

/** The OAuth scopes of the UK OB v4.0 APIs (AIS, PIS incl. VRP, CBPII). */
export type ObApiScope = 'accounts' | 'payments' | 'fundsconfirmations';

/**
 * The token carries the API's scope (OB v4.0 OpenAPI `security`: `TPPOAuth2Security: [accounts]`
 * etc.; one of several where the API lists several, as the event APIs do), else 403 with the
 * RFC 6750 §3.1 `insufficient_scope` challenge naming the scopes that would do.
 */
export function checkScope(...scopes: [ObApiScope, ...ObApiScope[]]): SecurityStep {
  return async (request, reply) => {
    const granted = verifiedTokenOf(request).scopes;
    if (!scopes.some((scope) => granted.has(scope))) {
      reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${scopes.join(' ')}"`);
      throw new AppError(SecurityErrors.INSUFFICIENT_SCOPE);
    }
  };
}

/**
 * OB v4.0 OpenAPI `components.parameters.x-fapi-auth-date`: an RFC 7231 IMF-fixdate (as the spec
 * writes it, GMT or UTC), e.g. `Sun, 10 Sep 2017 19:43:31 UTC`.
 */
const AUTH_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC)$/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Well-formed and a real date: it reads back identically (so no 31 Feb, and the weekday is right). */
function isImfFixdate(value: string): boolean {
  if (!AUTH_DATE.test(value)) return false;
  const asGmt = value.replace(/UTC$/, 'GMT');
  const time = Date.parse(asGmt);
  return !Number.isNaN(time) && new Date(time).toUTCString() === asGmt;
}

/**
 * The optional FAPI interaction headers, when present, are well-formed (FAPI 1.0 Part 1 §6.2.2-3/-4):
 * `x-fapi-auth-date` (when the PSU last logged in with the TPP) and `x-fapi-customer-ip-address`
 * (the PSU's IP address, IPv4 or IPv6). A malformed one is 400 U006 naming the header, since the
 * bank's fraud and PSU-present rules (OB: customer-present calls are not rate limited) rely on them.
 */
export function checkInteractionHeaders(): SecurityStep {
  return async (request) => {
    const authDate = single(request.headers['x-fapi-auth-date']);
    if (authDate !== undefined && !isImfFixdate(authDate)) {
      throw new AppError(SecurityErrors.INTERACTION_HEADER_INVALID, { details: [{ message: 'x-fapi-auth-date must be an RFC 7231 date', path: 'x-fapi-auth-date' }] });
    }
    const customerIp = single(request.headers['x-fapi-customer-ip-address']);
    if (customerIp !== undefined && isIP(customerIp) === 0) {
      throw new AppError(SecurityErrors.INTERACTION_HEADER_INVALID, {
        details: [{ message: 'x-fapi-customer-ip-address must be an IPv4 or IPv6 address', path: 'x-fapi-customer-ip-address' }],
      });
    }
  };
}
