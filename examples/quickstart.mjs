#!/usr/bin/env node
// Portico sandbox quickstart: what a UK Open Banking TPP does, from nothing to an account read and a
// domestic payment, in plain Node (node:https, node:crypto) plus `jose` for the JWTs and JWS.
//
//   npm start                                 # in one terminal
//   node examples/quickstart.mjs [baseUrl]    # in another; baseUrl defaults to https://localhost:8443
//
// The server's certificate is issued by the sandbox CA in the data dir; it is trusted explicitly
// (PORTICO_CA or --ca <file>, default ./data/tls/sandbox-ca.pem), never by switching checks off.
// Steps: onboarding → DCR → client-credentials token → AIS consent → PSU approval on the bank's pages
// (plain HTTP form posts, as a browser without JavaScript) → code for a token → AIS read → domestic
// payment consent → PSU approval with the one-time code → signed, idempotent submission → status.
import { Buffer } from 'node:buffer';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { FlattenedSign, SignJWT, decodeJwt, importPKCS8 } from 'jose';
import { expectStatus, sandboxConnection, show, step } from './lib/sandbox-https.mjs';
import { authenticatorApp, psuApproves } from './lib/psu-pages.mjs';

const { base: BASE, request } = sandboxConnection();
// A TPP's redirect URI need not resolve: the PSU's browser (here, this script) stops at it.
const REDIRECT_URI = 'https://tpp.example/callback';
const AISP = '/open-banking/v4.0/aisp';
const PISP = '/open-banking/v4.0/pisp';

// ---------------------------------------------------------------------------------------------
// What a TPP signs: the DCR request, request objects, and payment bodies (OB message signing).

async function signJwt(claims, signing, typ) {
  const key = await importPKCS8(signing.privateKeyPem, 'PS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'PS256', kid: signing.kid, typ }).sign(key);
}

const OB_IAT = 'http://openbanking.org.uk/iat';
const OB_ISS = 'http://openbanking.org.uk/iss';
const OB_TAN = 'http://openbanking.org.uk/tan';

/** x-jws-signature: a detached PS256 JWS of the exact body bytes, with the OB header claims. */
async function jwsSignature(body, tpp) {
  const header = {
    alg: 'PS256',
    kid: tpp.signing.kid,
    typ: 'JOSE',
    cty: 'application/json',
    [OB_IAT]: Math.floor(Date.now() / 1000),
    [OB_ISS]: tpp.messageSigning.iss,
    [OB_TAN]: tpp.messageSigning.tan,
    crit: [OB_IAT, OB_ISS, OB_TAN],
  };
  const key = await importPKCS8(tpp.signing.privateKeyPem, 'PS256');
  const jws = await new FlattenedSign(Buffer.from(body)).setProtectedHeader(header).sign(key, { crit: { [OB_IAT]: true, [OB_ISS]: true, [OB_TAN]: true } });
  return `${jws.protected}..${jws.signature}`;
}

// ---------------------------------------------------------------------------------------------
// The TPP.

/** The PSU approves on the bank's pages; the bank sends them back to the redirect URI with the code (in the fragment for `code id_token`). */
async function approvedCode(authorisationUrl, psu, nextCode) {
  const back = await psuApproves(request, authorisationUrl, [REDIRECT_URI], psu, nextCode);
  const result = new URLSearchParams(back.hash ? back.hash.slice(1) : back.search);
  if (result.get('error')) throw new Error(`the bank sent the PSU back with ${result.get('error')}: ${result.get('error_description')}`);
  return result;
}

/** FAPI 1.0 Advanced: a signed request object (JAR) naming the consent, with PKCE. */
async function authorisationUrl(tpp, clientId, discovery, consentId, scope) {
  const verifier = randomBytes(32).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: clientId,
    aud: discovery.issuer,
    client_id: clientId,
    response_type: 'code id_token',
    redirect_uri: REDIRECT_URI,
    scope,
    state: randomUUID(),
    nonce: randomUUID(),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    claims: {
      id_token: { openbanking_intent_id: { value: consentId, essential: true }, acr: { essential: true, values: ['urn:openbanking:psd2:sca'] } },
      userinfo: { openbanking_intent_id: { value: consentId, essential: true } },
    },
    nbf: now,
    exp: now + 300,
    jti: randomUUID(),
  };
  const requestObject = await signJwt(claims, tpp.signing, 'oauth-authz-req+jwt');
  const query = new URLSearchParams({ client_id: clientId, response_type: 'code id_token', scope, redirect_uri: REDIRECT_URI, request: requestObject });
  return { url: `${discovery.authorization_endpoint}?${query}`, verifier, state: claims.state };
}

async function main() {
  console.log(`Portico quickstart against ${BASE}`);

  step('Discovery');
  const discovery = expectStatus(await request('/.well-known/openid-configuration'), 200, 'discovery').json();
  show('issuer', discovery.issuer);
  show('token endpoint', discovery.token_endpoint);

  step('Onboarding: POST /sandbox/v1/tpps (organisation, SSA, transport and signing certificates)');
  const onboarding = { organisationName: 'Quickstart Budgeting Ltd', roles: ['AISP', 'PISP'], redirectUris: [REDIRECT_URI] };
  show('request', onboarding);
  const tpp = expectStatus(
    await request('/sandbox/v1/tpps', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(onboarding) }),
    201,
    'onboarding',
  ).json();
  show('organisationId', tpp.organisationId);
  show('softwareId', tpp.softwareId);
  show('signing kid', tpp.signing.kid);
  show('tls_client_auth_subject_dn', tpp.registration.tls_client_auth_subject_dn);
  show('JWS iss / tan', `${tpp.messageSigning.iss} / ${tpp.messageSigning.tan}`);
  const tls = tpp.transport;

  step('Dynamic client registration: POST /register over mutual TLS (OB DCR v3.4)');
  const now = Math.floor(Date.now() / 1000);
  const registrationClaims = {
    iss: tpp.softwareId,
    aud: tpp.registration.aud,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    software_statement: tpp.softwareStatement,
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: tpp.registration.tls_client_auth_subject_dn,
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code id_token'],
    scope: 'openid accounts payments',
    application_type: 'web',
    id_token_signed_response_alg: 'PS256',
    request_object_signing_alg: 'PS256',
  };
  const registration = expectStatus(
    await request(tpp.registration.registrationEndpoint, { method: 'POST', headers: { 'content-type': 'application/jose' }, body: await signJwt(registrationClaims, tpp.signing, 'JWT'), tls }),
    201,
    'registration',
  ).json();
  const clientId = registration.client_id;
  show('client_id', clientId);

  const clientCredentials = async (scope) =>
    expectStatus(
      await request(tpp.registration.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, client_id: clientId }).toString(),
        tls,
      }),
      200,
      'client-credentials token',
    ).json().access_token;
  const exchangeCode = async (code, verifier) =>
    expectStatus(
      await request(tpp.registration.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: clientId }).toString(),
        tls,
      }),
      200,
      'authorization code exchange',
    ).json();
  const api = (method, pathname, token, body, extraHeaders = {}) =>
    request(pathname, {
      method,
      headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID(), ...(body ? { 'content-type': 'application/json' } : {}), ...extraHeaders },
      body,
      tls,
    });

  step('Client-credentials token (scope accounts), mutual TLS');
  const accountsToken = await clientCredentials('accounts');
  show('access_token', `${accountsToken.slice(0, 12)}…`);

  step(`Account-access consent: POST ${AISP}/account-access-consents`);
  const aisConsent = { Data: { Permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'] }, Risk: {} };
  const staged = expectStatus(await api('POST', `${AISP}/account-access-consents`, accountsToken, JSON.stringify(aisConsent)), 201, 'account-access consent').json();
  show('ConsentId', `${staged.Data.ConsentId} (${staged.Data.Status})`);

  step('The PSU approves on the bank\'s pages (GET /sandbox/v1/psus gives the sandbox logins)');
  const psu = expectStatus(await request('/sandbox/v1/psus'), 200, 'sandbox PSUs').json()[0];
  show('PSU', `${psu.name} (${psu.username})`);
  const nextCode = authenticatorApp(psu.totpSecret);
  const ais = await authorisationUrl(tpp, clientId, discovery, staged.Data.ConsentId, 'openid accounts');
  const aisResult = await approvedCode(ais.url, psu, nextCode);
  if (aisResult.get('state') !== ais.state) throw new Error('state does not match');
  const aisTokens = await exchangeCode(aisResult.get('code'), ais.verifier);
  show('openbanking_intent_id of the id_token', decodeJwt(aisTokens.id_token).openbanking_intent_id);

  step(`AIS read: GET ${AISP}/accounts and the first account's balances`);
  const accounts = expectStatus(await api('GET', `${AISP}/accounts`, aisTokens.access_token), 200, 'accounts').json().Data.Account;
  for (const account of accounts) {
    const identification = account.Account?.[0]?.Identification ?? '';
    console.log(`   account ${account.AccountId}: ${account.Nickname ?? account.AccountSubType} ${account.Currency} ${identification}`);
  }
  const first = accounts[0];
  const balances = expectStatus(await api('GET', `${AISP}/accounts/${first.AccountId}/balances`, aisTokens.access_token), 200, 'balances').json().Data.Balance;
  for (const balance of balances) console.log(`   balance ${balance.Type}: ${balance.CreditDebitIndicator === 'Debit' ? '-' : ''}${balance.Amount.Amount} ${balance.Amount.Currency}`);

  step(`Domestic payment consent: POST ${PISP}/domestic-payment-consents (signed, idempotent)`);
  const paymentsToken = await clientCredentials('payments');
  const initiation = {
    InstructionIdentification: `QS-${randomUUID().slice(0, 8)}`,
    EndToEndIdentification: `QS-${randomUUID().slice(0, 8)}`,
    LocalInstrument: 'UK.OBIE.FPS',
    InstructedAmount: { Amount: '10.00', Currency: 'GBP' },
    CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '40400412345678', Name: 'Quickstart Payee Ltd' },
    RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: 'QUICKSTART-1' } }] },
  };
  const risk = { PaymentContextCode: 'TransferToThirdParty' };
  const consentBody = JSON.stringify({ Data: { Initiation: initiation }, Risk: risk });
  const paymentConsent = expectStatus(
    await api('POST', `${PISP}/domestic-payment-consents`, paymentsToken, consentBody, { 'x-idempotency-key': randomUUID(), 'x-jws-signature': await jwsSignature(consentBody, tpp) }),
    201,
    'domestic payment consent',
  ).json();
  const paymentConsentId = paymentConsent.Data.ConsentId;
  show('ConsentId', `${paymentConsentId} (${paymentConsent.Data.Status})`);

  step('The PSU approves the payment: amount and payee on screen, bound to the one-time code');
  const pis = await authorisationUrl(tpp, clientId, discovery, paymentConsentId, 'openid payments');
  const pisResult = await approvedCode(pis.url, psu, nextCode);
  if (pisResult.get('state') !== pis.state) throw new Error('state does not match');
  const pisTokens = await exchangeCode(pisResult.get('code'), pis.verifier);
  show('payments token', `${pisTokens.access_token.slice(0, 12)}…`);

  step(`Payment submission: POST ${PISP}/domestic-payments (x-jws-signature, x-idempotency-key)`);
  const submission = JSON.stringify({ Data: { ConsentId: paymentConsentId, Initiation: initiation }, Risk: risk });
  const submitted = expectStatus(
    await api('POST', `${PISP}/domestic-payments`, pisTokens.access_token, submission, { 'x-idempotency-key': randomUUID(), 'x-jws-signature': await jwsSignature(submission, tpp) }),
    201,
    'domestic payment',
  ).json();
  const paymentId = submitted.Data.DomesticPaymentId;
  show('DomesticPaymentId', `${paymentId} (${submitted.Data.Status})`);

  step(`Payment status: GET ${PISP}/domestic-payments/{DomesticPaymentId}`);
  let status = submitted.Data.Status;
  for (let attempt = 0; attempt < 20 && status === 'PDNG'; attempt++) {
    await sleep(500);
    status = expectStatus(await api('GET', `${PISP}/domestic-payments/${paymentId}`, paymentsToken), 200, 'payment status').json().Data.Status;
  }
  show('payment status', status);
  console.log('\nDone: onboarded, registered, read accounts and made a payment.');
}

main().catch((error) => {
  console.error(`\nquickstart failed: ${error.message}`);
  process.exitCode = 1;
});
