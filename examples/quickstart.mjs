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
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL, URLSearchParams } from 'node:url';
import { FlattenedSign, SignJWT, decodeJwt, importPKCS8 } from 'jose';

const args = process.argv.slice(2);
const caFlag = args.indexOf('--ca');
const caFile = caFlag >= 0 ? args.splice(caFlag, 2)[1] : (process.env.PORTICO_CA ?? defaultCaFile());
const BASE = (args[0] ?? process.env.PORTICO_URL ?? 'https://localhost:8443').replace(/\/+$/, '');
const CA = fs.readFileSync(caFile, 'utf8');
// A TPP's redirect URI need not resolve: the PSU's browser (here, this script) stops at it.
const REDIRECT_URI = 'https://tpp.example/callback';
const AISP = '/open-banking/v4.0/aisp';
const PISP = '/open-banking/v4.0/pisp';

function defaultCaFile() {
  const here = path.resolve('data/tls/sandbox-ca.pem');
  return fs.existsSync(here) ? here : path.resolve(import.meta.dirname, '..', 'data/tls/sandbox-ca.pem');
}

let stepNumber = 0;
function step(title) {
  stepNumber += 1;
  console.log(`\n${stepNumber}. ${title}`);
}
function show(label, value) {
  console.log(`   ${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

// ---------------------------------------------------------------------------------------------
// HTTPS with explicit trust, optional mutual TLS, and a small cookie jar for the PSU's pages.

/** One HTTPS request; `tls` is the TPP's transport certificate and key for mutual TLS. */
function request(url, { method = 'GET', headers = {}, body, tls, cookies } = {}) {
  const target = new URL(url, BASE);
  const cookieHeader = cookies?.header(target);
  return new Promise((resolve, reject) => {
    const req = https.request(
      target,
      {
        method,
        headers: { ...headers, ...(cookieHeader ? { cookie: cookieHeader } : {}) },
        ca: CA,
        ...(tls ? { cert: tls.certificatePem, key: tls.privateKeyPem } : {}),
        agent: false,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          cookies?.store(target, res.headers['set-cookie'] ?? []);
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Fails with the server's answer unless the status is the expected one. */
function expectStatus(response, status, what) {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status}\n${response.text}`);
  return response;
}

/** RFC 6265 in brief: name=value per path prefix, dropped when expired. Enough for one site. */
class CookieJar {
  #cookies = new Map();
  store(url, setCookies) {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attribute = (key) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const cookiePath = attribute('path') || url.pathname.replace(/\/[^/]*$/, '') || '/';
      const maxAge = attribute('max-age');
      const expires = attribute('expires');
      const expired = (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) <= Date.now());
      const key = `${cookiePath}|${name}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path: cookiePath });
    }
  }
  header(url) {
    const matching = [...this.#cookies.values()].filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

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
// The PSU: a sandbox customer with an authenticator app (RFC 6238: SHA-1, 6 digits, 30 s).

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret, timeStep) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(timeStep));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Each code is accepted once (RFC 6238 §5.2): after using one, wait for the app's next code. */
function authenticatorApp(secret) {
  let lastStep = -1;
  return async () => {
    let now = Math.floor(Date.now() / 30_000);
    if (now <= lastStep) {
      const waitMs = (lastStep + 1) * 30_000 - Date.now() + 250;
      console.log(`   (each one-time code works once: waiting ${Math.ceil(waitMs / 1000)} s for the next one)`);
      await sleep(waitMs);
      now = Math.floor(Date.now() / 30_000);
    }
    lastStep = now;
    return totp(secret, now);
  };
}

// ---------------------------------------------------------------------------------------------
// The bank's PSU pages, driven as a browser without JavaScript does: read the form the page serves,
// fill the fields by their labels, submit it to its action, follow redirects, until the bank sends
// the PSU back to the TPP's redirect URI.

const decode = (text) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
function attributesOf(tag) {
  const attributes = {};
  for (const [, name, , quoted, bare] of tag.matchAll(/([a-zA-Z_:][-\w:.]*)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    attributes[name.toLowerCase()] = quoted !== undefined ? decode(quoted) : bare !== undefined ? decode(bare) : '';
  }
  return attributes;
}
const textOf = (fragment) => decode(fragment.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();

/** The page's forms: action, method, inputs (with their label text) and submit buttons. */
function formsOf(page) {
  const labels = new Map([...page.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/gi)].map((m) => [attributesOf(m[1]).for, textOf(m[2])]));
  return [...page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, formTag, inner]) => {
    const form = attributesOf(formTag);
    const inputs = [...inner.matchAll(/<label\b[^>]*>\s*(<input\b[^>]*>)([\s\S]*?)<\/label>|(<input\b[^>]*>)/gi)].map((m) => {
      const input = attributesOf((m[1] ?? m[3]).slice(6, -1));
      return { ...input, type: (input.type ?? 'text').toLowerCase(), label: m[1] ? textOf(m[2]) : (labels.get(input.id) ?? '') };
    });
    const buttons = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((m) => ({ ...attributesOf(m[1]), text: textOf(m[2]) }));
    return { action: form.action ?? '', method: (form.method ?? 'get').toLowerCase(), inputs, buttons };
  });
}

/** Fills a form as the PSU would: their username, password and a one-time code; every account offered to share, or the first one offered to pay from. */
async function fillForm(form, psu, nextCode) {
  const fields = new URLSearchParams();
  const radiosDone = new Set();
  for (const input of form.inputs) {
    if (!input.name) continue;
    const what = `${input.label} ${input.name}`.toLowerCase();
    if (input.type === 'hidden') fields.append(input.name, input.value ?? '');
    else if (input.type === 'checkbox') fields.append(input.name, input.value ?? 'on');
    else if (input.type === 'radio') {
      const group = form.inputs.filter((i) => i.type === 'radio' && i.name === input.name);
      if (!radiosDone.has(input.name)) fields.append(input.name, (group.find((i) => 'checked' in i) ?? group[0]).value ?? 'on');
      radiosDone.add(input.name);
    } else if (what.includes('username')) fields.append(input.name, psu.username);
    else if (what.includes('password')) fields.append(input.name, psu.password);
    else if (what.includes('one-time code') || input.autocomplete === 'one-time-code') fields.append(input.name, await nextCode());
    else if (input.value !== undefined) fields.append(input.name, input.value);
  }
  const submit = form.buttons.find((b) => /approve|continue|confirm|log in|sign in/i.test(b.text) && (b.type ?? 'submit') === 'submit');
  if (!submit) throw new Error(`no button to go on with among: ${form.buttons.map((b) => b.text).join(', ')}`);
  if (submit.name) fields.append(submit.name, submit.value ?? '');
  return { fields, button: submit.text };
}

/** From the authorisation URL to the TPP's redirect URI; returns the parameters the bank sent back. */
async function psuApproves(authorisationUrl, psu, nextCode) {
  const cookies = new CookieJar();
  let response = await request(authorisationUrl, { cookies });
  let url = new URL(authorisationUrl);
  for (let hops = 0; hops < 30; hops++) {
    if ([302, 303, 307].includes(response.status)) {
      url = new URL(response.headers.location, url);
      if (url.href.startsWith(REDIRECT_URI)) {
        const result = new URLSearchParams(url.hash ? url.hash.slice(1) : url.search);
        if (result.get('error')) throw new Error(`the bank sent the PSU back with ${result.get('error')}: ${result.get('error_description')}`);
        return result;
      }
      response = await request(url, { cookies });
      continue;
    }
    if (response.status !== 200) throw new Error(`PSU page ${url.pathname}: ${response.status}\n${response.text}`);
    const title = textOf(/<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(response.text)?.[1] ?? '');
    const alert = /role="alert"[^>]*>([\s\S]*?)</i.exec(response.text)?.[1];
    if (alert) console.log(`   the page says: ${textOf(alert)}`);
    const form = formsOf(response.text).find((f) => f.method === 'post');
    if (!form) throw new Error(`PSU page "${title}" has no form to submit`);
    const { fields, button } = await fillForm(form, psu, nextCode);
    console.log(`   page "${title}": ${[...new Set(fields.keys())].join(', ')} → ${button}`);
    url = new URL(form.action || url.href, url);
    response = await request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString(), cookies });
  }
  throw new Error('too many pages without reaching the redirect URI');
}

// ---------------------------------------------------------------------------------------------
// The TPP.

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
  const aisResult = await psuApproves(ais.url, psu, nextCode);
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
  const pisResult = await psuApproves(pis.url, psu, nextCode);
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
