import { randomUUID } from 'node:crypto';
import { decodeJwt, FlattenedSign, importPKCS8 } from 'jose';
import { authoriseConsent, findConsent, scaBindingOf } from '../../src/modules/consents/index.ts';
import type { HttpsResponse } from './https-client.ts';
import { issuePsuToken, newGrant, type SandboxPsuIdentity } from './ais-access.ts';
import type { TestPortico } from './start-test-portico.ts';
import type { TppClient } from './tpp-client.ts';

export const PISP = '/open-banking/v4.0/pisp';

// The OB profile's header claims, as the spec spells them (not imported: the test states the wire format).
const IAT = 'http://openbanking.org.uk/iat';
const ISS = 'http://openbanking.org.uk/iss';
const TAN = 'http://openbanking.org.uk/tan';
export const OB_CRIT = { [IAT]: true, [ISS]: true, [TAN]: true };

/**
 * What a standard OB TPP client does (DESIGN.md §3): a detached PS256 JWS of the exact body with its
 * signing key and kid, `iss` = `{org_id}/{software_id}` from its SSA, `tan` = the host of its JWKS
 * endpoint. `signer` signs with another TPP's key while claiming to be `claimedBy`.
 */
export async function tppSignature(claimedBy: TppClient, body: string, options: { signer?: TppClient; kid?: string } = {}): Promise<string> {
  const signer = options.signer ?? claimedBy;
  const ssa = decodeJwt(claimedBy.tpp.softwareStatement);
  const header = {
    alg: 'PS256',
    kid: options.kid ?? signer.tpp.signing.kid,
    typ: 'JOSE',
    cty: 'application/json',
    [IAT]: Math.floor(Date.now() / 1000),
    [ISS]: `${String(ssa['org_id'])}/${String(ssa['software_id'])}`,
    [TAN]: new URL(String(ssa['software_jwks_endpoint'])).host,
    crit: [IAT, ISS, TAN],
  };
  const jws = await new FlattenedSign(Buffer.from(body)).setProtectedHeader(header as never).sign(await importPKCS8(signer.tpp.signing.privateKeyPem, 'PS256'), { crit: OB_CRIT });
  return `${jws.protected}..${jws.signature}`;
}

export interface SignedPost {
  readonly token: string;
  readonly body: string;
  /** Default: a fresh one. */
  readonly idempotencyKey?: string;
  /** Default: the TPP's own signature of `body`. */
  readonly signature?: string;
}

/** A signed, idempotent OB PIS POST over the TPP's mTLS connection. */
export async function pisPost(tpp: TppClient, pathname: string, request: SignedPost): Promise<HttpsResponse> {
  return tpp.mtls(`${PISP}${pathname}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${request.token}`,
      'x-fapi-interaction-id': randomUUID(),
      'x-idempotency-key': request.idempotencyKey ?? randomUUID(),
      'x-jws-signature': request.signature ?? (await tppSignature(tpp, request.body)),
    },
    body: request.body,
  });
}

/** An OB PIS GET over the TPP's mTLS connection. */
export function pisGet(tpp: TppClient, pathname: string, token: string): Promise<HttpsResponse> {
  return tpp.mtls(`${PISP}${pathname}`, { headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() } });
}

/**
 * The PSU authorises a staged payment consent, paying from `accountId`, as the authorisation server
 * records it once the PSU has approved with the one-time code on the screen that showed amount and
 * payee (src/modules/psu-authorisation; the browser flow is test/e2e): the consent is Authorised
 * with the dynamic-linking binding of that payment, under a grant, and the PSU's token is issued
 * for it (`payments` scope, bound to the TPP's transport certificate).
 */
export async function authorisePaymentConsent(app: TestPortico, tpp: TppClient, psu: SandboxPsuIdentity, consentId: string, accountId: string): Promise<string> {
  const { db } = app.portico.database;
  const consent = await findConsent(db, consentId);
  if (!consent?.payment) throw new Error(`no payment consent ${consentId}`);
  const grantId = await newGrant(app, tpp, psu.psuId, 'openid payments');
  await authoriseConsent(db, consentId, { psuId: psu.psuId, partyId: psu.partyId, accountIds: [accountId], grantId, scaBinding: scaBindingOf(consentId, consent.payment) });
  const token = await issuePsuToken(app, tpp, psu.psuId, { grantId, scope: 'openid payments' });
  const stored = await app.portico.authorizationServer.AccessToken.find(token);
  if (stored?.extra?.['openbanking_intent_id'] !== consentId) throw new Error('the issued token does not name the consent');
  return token;
}
