import type { FastifyReply, FastifyRequest } from 'fastify';
import { signCompactJws, type JwsSigningKeys } from '../../../../platform/keystore/index.ts';
import { JWS_SIGNATURE_HEADER, OB_JWS_ALG, OB_JWS_CLAIMS, OB_JWS_CRIT } from './ob-jws-profile.ts';

/** Signs response bodies for the bank, in the OB detached-JWS profile. */
export interface ResponseSigner {
  /** The `kid` of the key that signs now, as the bank's `jwks_uri` publishes it. */
  readonly kid: string;
  /** The detached JWS (`header..signature`) of a body's exact bytes. */
  sign(body: string | Uint8Array): Promise<string>;
}

export interface ResponseSignerOptions {
  /**
   * The bank's signing keys (src/auth `SigningKeyRing`): the signer uses the PS256 key that signs
   * now, the one oidc-provider signs with, so TPPs verify responses with the keys at the bank's
   * `jwks_uri`; after `portico keys rotate` it switches when the new key activates.
   */
  readonly keys: JwsSigningKeys;
  /** `http://openbanking.org.uk/iss` of the bank: its org_id in the directory (OB: the ASPSP signs as its organisation). */
  readonly issuer: string;
  /** `http://openbanking.org.uk/tan`: the trust anchor that publishes the bank's keys. */
  readonly trustAnchor: string;
  readonly now?: () => Date;
}

export function createResponseSigner(options: ResponseSignerOptions): ResponseSigner {
  // Fails at start, not at the first response, when the keys have no PS256 key.
  options.keys.signingKid(OB_JWS_ALG);
  const now = options.now ?? (() => new Date());
  return {
    get kid() {
      return options.keys.signingKid(OB_JWS_ALG);
    },
    sign(body) {
      const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const header = {
        typ: 'JOSE',
        cty: 'application/json',
        [OB_JWS_CLAIMS.iat]: Math.floor(now().getTime() / 1000),
        [OB_JWS_CLAIMS.iss]: options.issuer,
        [OB_JWS_CLAIMS.tan]: options.trustAnchor,
        crit: [...OB_JWS_CRIT],
      };
      // RFC 7515 Appendix F: detached, so the payload part is left empty.
      return signCompactJws(options.keys, OB_JWS_ALG, header, payload, { detached: true });
    },
  };
}

/**
 * The responses of the OB v4.0 payment APIs that declare `x-jws-signature` (payment-initiation and
 * VRP OpenAPI `components.responses`): 200/201 and the 400, 403, 409 and 500 errors; not 401, 404,
 * 405, 406, 415 or 429, which may come before the caller is known.
 */
export const SIGNED_STATUSES: ReadonlySet<number> = new Set([200, 201, 400, 403, 409, 500]);

/**
 * An `onSend` hook that signs the serialised body of each such response in `x-jws-signature`.
 * Add it to a route family (`app.addHook('onSend', signResponse(signer))`), with the statuses its
 * API signs where they are others (the event subscription API signs only 200 and 201): it runs after
 * serialisation, so it signs exactly the bytes sent, error bodies included.
 */
export function signResponse(signer: ResponseSigner, statuses: ReadonlySet<number> = SIGNED_STATUSES): (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown> {
  return async (_request, reply, payload) => {
    if (!statuses.has(reply.statusCode)) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (payload.length === 0) return payload;
    reply.header(JWS_SIGNATURE_HEADER, await signer.sign(payload));
    return payload;
  };
}
