import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, FlattenedSign, flattenedVerify, importPKCS8, type JSONWebKeySet } from 'jose';
import { scaBindingOf } from '../../src/modules/consents/index.ts';
import { consentsOf } from './consents-module.ts';
import type { Dialect } from './backends.ts';
import type { HttpsResponse } from './https-client.ts';
import { issuePsuToken, newGrant, sandboxPsu, type SandboxPsuIdentity } from './ais-access.ts';
import { assertObResponse } from './openapi.ts';
import { startTestPortico, type TestPortico } from './start-test-portico.ts';
import { TppClient } from './tpp-client.ts';

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
  const consent = await consentsOf(db).find(consentId);
  if (!consent?.payment) throw new Error(`no payment consent ${consentId}`);
  const grantId = await newGrant(app, tpp, psu.psuId, 'openid payments');
  await consentsOf(db).authorise(consentId, { psuId: psu.psuId, partyId: psu.partyId, accountIds: [accountId], grantId, scaBinding: scaBindingOf(consentId, consent.payment) });
  const token = await issuePsuToken(app, tpp, psu.psuId, { grantId, scope: 'openid payments' });
  const stored = await app.portico.authorizationServer.AccessToken.find(token);
  if (stored?.extra?.['openbanking_intent_id'] !== consentId) throw new Error('the issued token does not name the consent');
  return token;
}

/** A creditor account as OB PIS bodies name it. */
export interface ObCreditor {
  SchemeName: string;
  Identification: string;
  Name: string;
}

/** The PSU's first enabled GBP account that can be paid by sort code and account number. */
export async function gbpAccount(app: TestPortico, psu: SandboxPsuIdentity) {
  for (const id of psu.accountIds) {
    const account = await app.portico.core.getAccount(id);
    if (account?.currency === 'GBP' && account.status === 'Enabled' && account.sortCode && account.accountNumber) return account;
  }
  throw new Error(`PSU ${psu.psuId} has no GBP account`);
}

/**
 * A running Portico with the sandbox seeded, two registered PISP TPPs (`tpp`, and `other` to try
 * someone else's resources), the sandbox PSUs Alice (payer) and Bob (payee, on us) with their GBP
 * accounts, and the bank's published signing keys.
 */
export interface PisFixture {
  readonly app: TestPortico;
  readonly tpp: TppClient;
  readonly other: TppClient;
  readonly alice: SandboxPsuIdentity;
  readonly bob: SandboxPsuIdentity;
  readonly aliceGbp: string;
  readonly bobGbp: string;
  readonly bobCreditor: ObCreditor;
  readonly bankJwks: JSONWebKeySet;
}

/** `env`: configuration variables of the platform beyond the test defaults (e.g. SANDBOX_SETTLEMENT_DELAY_MS). */
export async function startPisFixture(dialect: Dialect, names: { tpp: string; other: string }, env: Record<string, string> = {}): Promise<PisFixture> {
  const app = await startTestPortico(dialect, env, { seedSandbox: true });
  const tpp = await TppClient.onboard(app, names.tpp);
  await tpp.register();
  const other = await TppClient.onboard(app, names.other);
  await other.register();
  const alice = await sandboxPsu(app, 0);
  const bob = await sandboxPsu(app, 1);
  const aliceGbp = (await gbpAccount(app, alice)).id;
  const bobAccount = await gbpAccount(app, bob);
  const bobCreditor = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${bobAccount.sortCode}${bobAccount.accountNumber}`, Name: 'Bob' };
  const discovery = (await app.request('/.well-known/openid-configuration')).json<{ jwks_uri: string }>();
  const bankJwks = (await app.request(new URL(discovery.jwks_uri).pathname)).json<JSONWebKeySet>();
  return { app, tpp, other, alice, bob, aliceGbp, bobGbp: bobAccount.id, bobCreditor, bankJwks };
}

/** Checks a response and hands it back. */
export type ResponseCheck = (method: string, pathname: string, response: HttpsResponse) => Promise<HttpsResponse>;

/**
 * A response as the official OB file `api` defines it for its operation, and, where the spec signs
 * it (200, 201, 400, 403), carrying a detached PS256 x-jws-signature by a key of the bank's jwks_uri.
 */
export async function checkPisResponse(api: 'payment-initiation' | 'vrp', bankJwks: JSONWebKeySet, method: string, pathname: string, response: HttpsResponse): Promise<HttpsResponse> {
  assertObResponse(api, method, pathname, response);
  if ([200, 201, 400, 403].includes(response.status)) {
    const signature = response.headers['x-jws-signature'];
    assert.equal(typeof signature, 'string', `${method} ${pathname} ${response.status} carries x-jws-signature`);
    const [protectedHeader, payload, jwsSignature] = (signature as string).split('.');
    assert.equal(payload, '', 'the response signature is detached');
    await flattenedVerify({ protected: protectedHeader!, payload: response.body.toString('base64url'), signature: jwsSignature! }, createLocalJWKSet(bankJwks), {
      algorithms: ['PS256'],
      crit: OB_CRIT,
    });
  }
  return response;
}

/**
 * The TPP stages a payment consent at `consentPath` (client-credentials token, signed, idempotent;
 * the response checked by `check` and required to be 201) and `psu` authorises it from `accountId`.
 */
export async function authorisedConsent(
  app: TestPortico,
  tpp: TppClient,
  check: ResponseCheck,
  consent: { path: string; body: object; psu: SandboxPsuIdentity; accountId: string },
): Promise<{ consentId: string; psuToken: string }> {
  const created = await check('POST', `${PISP}${consent.path}`, await pisPost(tpp, consent.path, { token: await tpp.clientCredentialsToken('payments'), body: JSON.stringify(consent.body) }));
  assert.equal(created.status, 201, created.text);
  const consentId = created.json<{ Data: { ConsentId: string } }>().Data.ConsentId;
  return { consentId, psuToken: await authorisePaymentConsent(app, tpp, consent.psu, consentId, consent.accountId) };
}

/**
 * A domestic payment end to end as a TPP makes it: the consent staged (signed, idempotent), `psu`
 * authorising it from `accountId`, the payment submitted with the PSU's token; each response
 * checked by `check`. Answers the DomesticPaymentId of the 201.
 */
export async function submitDomesticPayment(
  app: TestPortico,
  tpp: TppClient,
  check: ResponseCheck,
  payment: { psu: SandboxPsuIdentity; accountId: string; amount: string; creditor: object; remittance?: string },
): Promise<string> {
  const body = {
    Data: {
      Initiation: {
        InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
        EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
        LocalInstrument: 'UK.OBIE.FPS',
        InstructedAmount: { Amount: payment.amount, Currency: 'GBP' },
        CreditorAccount: payment.creditor,
        RemittanceInformation: { Unstructured: [payment.remittance ?? 'Invoice 77'] },
      },
    },
    Risk: { PaymentContextCode: 'TransferToThirdParty' },
  };
  const { consentId, psuToken } = await authorisedConsent(app, tpp, check, { path: '/domestic-payment-consents', body, psu: payment.psu, accountId: payment.accountId });
  const submission = { Data: { ConsentId: consentId, Initiation: body.Data.Initiation }, Risk: body.Risk };
  const submitted = await check('POST', `${PISP}/domestic-payments`, await pisPost(tpp, '/domestic-payments', { token: psuToken, body: JSON.stringify(submission) }));
  assert.equal(submitted.status, 201, submitted.text);
  return submitted.json<{ Data: { DomesticPaymentId: string } }>().Data.DomesticPaymentId;
}

/** A sweeping VRP consent body: at most `maxAmount` a payment and `periodLimit` a `period`, paying `creditor` (omitted: named by each payment). */
export function sweepingVrpConsentBody(terms: { maxAmount: string; period: 'Day' | 'Week' | 'Month'; periodLimit?: string; creditor?: ObCreditor; remittance: string }) {
  return {
    Data: {
      ControlParameters: {
        MaximumIndividualAmount: { Amount: terms.maxAmount, Currency: 'GBP' },
        PeriodicLimits: [{ PeriodType: terms.period, PeriodAlignment: 'Consent', Amount: terms.periodLimit ?? '1000.00', Currency: 'GBP' }],
        VRPType: ['UK.OBIE.VRPType.Sweeping'],
        PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
      },
      Initiation: { ...(terms.creditor ? { CreditorAccount: terms.creditor } : {}), RemittanceInformation: { Unstructured: [terms.remittance] } },
    },
    Risk: { PaymentContextCode: 'TransferToSelf' },
  };
}

/** A VRP under a sweeping consent (its body as staged): `amount` GBP to `creditor`, off session; a remittance line where given. */
export function sweepingVrpBody(consentId: string, consent: { readonly Data: { readonly Initiation: object }; readonly Risk: object }, payment: { amount: string; creditor: object; remittance?: string }) {
  return {
    Data: {
      ConsentId: consentId,
      PSUAuthenticationMethod: 'UK.OBIE.SCANotRequired',
      PSUInteractionType: 'OffSession',
      VRPType: 'UK.OBIE.VRPType.Sweeping',
      Initiation: consent.Data.Initiation,
      Instruction: {
        InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
        EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
        LocalInstrument: 'UK.OBIE.FPS',
        InstructedAmount: { Amount: payment.amount, Currency: 'GBP' },
        CreditorAccount: payment.creditor,
        ...(payment.remittance === undefined ? {} : { RemittanceInformation: { Unstructured: [payment.remittance] } }),
      },
    },
    Risk: consent.Risk,
  };
}
