#!/usr/bin/env node
// Portico sandbox, Berlin Group NextGenPSD2 v1.3.12 (XS2A): what an EU TPP does, from nothing to an
// account read and a SEPA credit transfer, in plain Node (node:https, node:crypto), no dependencies.
//
//   npm start                                    # in one terminal
//   node examples/berlin-group.mjs [baseUrl]     # in another; baseUrl defaults to https://localhost:8443
//
// There is no registration and no OAuth token: the TPP is its QWAC, presented on every call (mutual
// TLS), and signs every request with its QSealC (Digest, Signature, TPP-Signature-Certificate:
// optional by default, required with XS2A_REQUEST_SIGNATURES=required). The server's certificate is
// trusted by the sandbox CA (PORTICO_CA or --ca <file>, default ./data/tls/sandbox-ca.pem).
// Steps: onboarding → consent → the PSU's SCA on the bank's pages (scaRedirect) → consent status →
// accounts with balances → transactions → SEPA credit transfer → the PSU's SCA → payment status.
import { Buffer } from 'node:buffer';
import { createHash, randomUUID, sign, X509Certificate } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL } from 'node:url';
import { expectStatus, sandboxConnection, show, step } from './lib/sandbox-https.mjs';
import { authenticatorApp, psuApproves } from './lib/psu-pages.mjs';

const { base: BASE, request } = sandboxConnection();
const XS2A = '/berlin-group/v1';
// Where the bank sends the PSU back, per request (TPP-Redirect-URI, TPP-Nok-Redirect-URI): they need not resolve.
const OK_URI = 'https://tpp.example/xs2a/ok';
const NOK_URI = 'https://tpp.example/xs2a/nok';
// The address of the PSU using the TPP's application: with it, a read is attended (no daily limit).
const PSU_IP = '192.0.2.10';

/**
 * The request's signature with the QSealC (draft-cavage HTTP signatures, as the Implementation
 * Guidelines require): a Digest of the body as sent, then an RSA SHA-256 signature over the headers
 * listed, the certificate named by its serial number and issuer, and the certificate itself.
 */
function signedHeaders(headers, body, seal) {
  const certificate = new X509Certificate(seal.certificatePem);
  const digest = `SHA-256=${createHash('sha256').update(body ?? '').digest('base64')}`;
  const signed = { ...headers, digest };
  const names = ['digest', 'x-request-id', 'psu-ip-address', 'tpp-redirect-uri'].filter((name) => signed[name] !== undefined);
  const signingString = names.map((name) => `${name}: ${signed[name]}`).join('\n');
  const signature = sign('sha256', Buffer.from(signingString), seal.privateKeyPem).toString('base64');
  const keyId = `SN=${certificate.serialNumber},CA=${certificate.issuer.split('\n').join(',')}`;
  return {
    ...signed,
    signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${signature}"`,
    'tpp-signature-certificate': certificate.raw.toString('base64'),
  };
}

async function main() {
  console.log(`Portico Berlin Group (NextGenPSD2) walk-through against ${BASE}`);

  step('Onboarding: POST /sandbox/v1/tpps (organisation, QWAC and QSealC from the sandbox QTSP)');
  const onboarding = { organisationName: 'Kontoblick GmbH', roles: ['AISP', 'PISP'], redirectUris: [OK_URI] };
  show('request', onboarding);
  const tpp = expectStatus(await request('/sandbox/v1/tpps', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(onboarding) }), 201, 'onboarding').json();
  show('organisationId', tpp.organisationId);
  show('QWAC subject', new X509Certificate(tpp.transport.certificatePem).subject.split('\n').join(', '));

  /** A call as the TPP: its QWAC on the connection, a new X-Request-ID, the PSU's address, signed with its QSealC. */
  const xs2a = (method, pathname, { body, headers = {} } = {}) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const plain = { 'x-request-id': randomUUID(), 'psu-ip-address': PSU_IP, ...(text ? { 'content-type': 'application/json' } : {}), ...headers };
    return request(pathname, { method, headers: signedHeaders(plain, text, tpp.signing), body: text, tls: tpp.transport });
  };
  const redirects = { 'tpp-redirect-uri': OK_URI, 'tpp-nok-redirect-uri': NOK_URI };

  step('A sandbox PSU of the EU market and their euro account (GET /sandbox/v1/psus)');
  const psu = expectStatus(await request('/sandbox/v1/psus'), 200, 'sandbox PSUs').json().find((candidate) => candidate.market === 'EU');
  const iban = psu.accounts.find((account) => account.currency === 'EUR').iban;
  show('PSU', `${psu.name} (${psu.username})`);
  show('IBAN', iban);
  const nextCode = authenticatorApp(psu.totpSecret);

  /** The PSU on the bank's pages from the scaRedirect link, back to the TPP's OK URI (the NOK URI means they did not approve). */
  const psuAuthorises = async (links) => {
    const back = await psuApproves(request, links.scaRedirect.href, [OK_URI, NOK_URI], psu, nextCode);
    if (back.href.startsWith(NOK_URI)) throw new Error(`the bank sent the PSU back to the NOK URI: ${back.href}`);
    const sca = expectStatus(await xs2a('GET', new URL(links.scaStatus.href).pathname), 200, 'SCA status').json();
    show('scaStatus', sca.scaStatus);
  };

  step(`Account information consent: POST ${XS2A}/consents`);
  const consentRequest = {
    access: { accounts: [{ iban }], balances: [{ iban }], transactions: [{ iban }] },
    recurringIndicator: true,
    validUntil: new Date(Date.now() + 89 * 86_400_000).toISOString().slice(0, 10),
    frequencyPerDay: 4,
    combinedServiceIndicator: false,
  };
  const consent = expectStatus(await xs2a('POST', `${XS2A}/consents`, { body: consentRequest, headers: redirects }), 201, 'consent').json();
  show('consentId', `${consent.consentId} (${consent.consentStatus})`);

  step('The PSU authorises the consent on the bank\'s pages (scaRedirect)');
  await psuAuthorises(consent._links);
  const consentStatus = expectStatus(await xs2a('GET', `${XS2A}/consents/${consent.consentId}/status`), 200, 'consent status').json();
  show('consentStatus', consentStatus.consentStatus);

  step(`Accounts with balances: GET ${XS2A}/accounts?withBalance=true (Consent-ID)`);
  const consentHeader = { 'consent-id': consent.consentId };
  const { accounts } = expectStatus(await xs2a('GET', `${XS2A}/accounts?withBalance=true`, { headers: consentHeader }), 200, 'accounts').json();
  for (const account of accounts) {
    console.log(`   account ${account.resourceId}: ${account.name ?? account.product ?? ''} ${account.iban} ${account.currency}`);
    for (const balance of account.balances ?? []) console.log(`   balance ${balance.balanceType}: ${balance.balanceAmount.amount} ${balance.balanceAmount.currency}`);
  }

  step(`Transactions: GET ${XS2A}/accounts/{resourceId}/transactions?bookingStatus=booked`);
  const dateFrom = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const report = expectStatus(await xs2a('GET', `${XS2A}/accounts/${accounts[0].resourceId}/transactions?bookingStatus=booked&dateFrom=${dateFrom}`, { headers: consentHeader }), 200, 'transactions').json();
  const booked = report.transactions.booked ?? [];
  show('booked since', `${dateFrom}: ${booked.length}`);
  for (const transaction of booked.slice(0, 3)) {
    console.log(`   ${transaction.bookingDate} ${transaction.transactionAmount.amount} ${transaction.transactionAmount.currency} ${transaction.creditorName ?? transaction.debtorName ?? ''} ${transaction.remittanceInformationUnstructured ?? ''}`.trimEnd());
  }

  step(`SEPA credit transfer: POST ${XS2A}/payments/sepa-credit-transfers`);
  const payment = {
    endToEndIdentification: `e2e-${randomUUID().slice(0, 8)}`,
    debtorAccount: { iban },
    instructedAmount: { currency: 'EUR', amount: '12.34' },
    creditorAccount: { iban: 'NL91ABNA0417164300' },
    creditorName: 'Bäckerei Müller',
    remittanceInformationUnstructured: 'Invoice 4711',
  };
  const initiated = expectStatus(await xs2a('POST', `${XS2A}/payments/sepa-credit-transfers`, { body: payment, headers: redirects }), 201, 'payment initiation').json();
  show('paymentId', `${initiated.paymentId} (${initiated.transactionStatus})`);

  step('The PSU authorises the payment: amount and payee on screen, bound to the one-time code');
  await psuAuthorises(initiated._links);

  step(`Payment status: GET ${XS2A}/payments/sepa-credit-transfers/{paymentId}/status`);
  let status = initiated.transactionStatus;
  for (let attempt = 0; attempt < 20 && !['ACSC', 'RJCT', 'CANC'].includes(status); attempt++) {
    status = expectStatus(await xs2a('GET', `${XS2A}/payments/sepa-credit-transfers/${initiated.paymentId}/status`), 200, 'payment status').json().transactionStatus;
    if (status !== 'ACSC') await sleep(500);
  }
  show('transactionStatus', status);
  console.log('\nDone: onboarded, read an account under a consent the PSU authorised, and made a SEPA payment.');
}

main().catch((error) => {
  console.error(`\nberlin-group walk-through failed: ${error.message}`);
  process.exitCode = 1;
});
