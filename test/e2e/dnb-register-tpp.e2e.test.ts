import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRegistersModule } from '../../src/modules/directory/index.ts';
import { createSandboxModule } from '../../src/modules/sandbox/index.ts';
import { createHttpsFetch } from '../../src/platform/https-client/index.ts';
import { synchroniseConfiguredRegister } from '../../src/app/register-sync.ts';
import { signBgRequest } from '../support/bg-http-signature.ts';
import { prepareAisAccess } from '../support/direct-ais-access.ts';
import { AISP } from '../support/ais-access.ts';
import { dnbRegistration, startDnbRegisterApi } from '../support/dnb-register-api.ts';
import type { ObError } from '../support/ob-errors.ts';
import { startOcspResponder } from '../support/ocsp-responder.ts';
import { assertMatchesSchema, assertObResponse, bgResponseSchema } from '../support/openapi.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { createTestCa, issueQsealc, issueQwac, type Psd2Holder, type TestCa, type TestLeaf } from '../support/test-pki.ts';
import { waitFor } from '../support/wait-for.ts';
import { detailedConsent, XS2A, XS2A_REDIRECT_URI } from '../support/xs2a-client.ts';

const DNB = { name: 'De Nederlandsche Bank', id: 'NL-DNB' };
/** The DNB fixture's payment institution: licensed for AIS and PIS in NL, passported to DE for AIS only. */
const DUTCH_PI: Psd2Holder = { country: 'NL', name: 'Initiatie Betalingen B.V.', organizationIdentifier: 'PSDNL-DNB-R180001', commonName: 'api.initiatie.example', roles: ['AISP', 'PISP'], nca: DNB };
/** The fixture's registered account information service provider: NL only, no passport. */
const DUTCH_AISP: Psd2Holder = { country: 'NL', name: 'Rekeninginzicht B.V.', organizationIdentifier: 'PSDNL-DNB-R180002', commonName: 'api.rekeninginzicht.example', roles: ['AISP'], nca: DNB };

type Tpp = { qwac: TestLeaf; seal: TestLeaf };

/**
 * Dutch TPPs trusted through De Nederlandsche Bank's public register, read from its Public Register
 * API, by a German bank: production shape (SANDBOX=false, DIRECTORY=eidas, REGISTERS=dnb,
 * ASPSP_COUNTRY=DE, signatures required); the TPP is its QWAC and QSealC on every call.
 */
describe('Dutch TPPs decided through the DNB public register (SANDBOX=false, DIRECTORY=eidas, REGISTERS=dnb, ASPSP_COUNTRY=DE, postgres)', () => {
  let app: TestPortico;
  let dir: string;
  let ca: TestCa;
  let ocsp: Awaited<ReturnType<typeof startOcspResponder>>;
  let dnb: Awaited<ReturnType<typeof startDnbRegisterApi>>;
  let pi: Tpp;
  let token: string;
  let iban: string;
  const fetch = createHttpsFetch({ allowPlainHttp: true });

  const certificatesOf = async (holder: Psd2Holder): Promise<Tpp> => ({ qwac: await issueQwac(ca, `${ocsp.url}/0`, holder), seal: await issueQsealc(ca, `${ocsp.url}/0`, holder) });
  const obAccounts = (qwac: TestLeaf, bearer = token) =>
    app.request(`${AISP}/accounts`, { cert: qwac.certificate.toString('pem'), key: qwac.privateKeyPem, headers: { authorization: `Bearer ${bearer}`, 'x-fapi-interaction-id': randomUUID() } });
  /** A Berlin Group POST with the QWAC, signed with the QSealC (NextGenPSD2 v1.3.12 §4 signing). */
  const bgPost = (tpp: Tpp, pathname: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = { 'x-request-id': randomUUID(), 'psu-ip-address': '192.0.2.7', 'content-type': 'application/json', 'tpp-redirect-uri': XS2A_REDIRECT_URI };
    Object.assign(headers, signBgRequest({ method: 'POST', url: pathname, headers, body, certificatePem: tpp.seal.certificate.toString('pem'), privateKey: tpp.seal.privateKeyPem }));
    return app.request(pathname, { method: 'POST', headers, body, cert: tpp.qwac.certificate.toString('pem'), key: tpp.qwac.privateKeyPem });
  };
  const bgConsent = (tpp: Tpp) => bgPost(tpp, `${XS2A}/consents`, detailedConsent([iban]));
  const bgPayment = (tpp: Tpp) =>
    bgPost(tpp, `${XS2A}/payments/sepa-credit-transfers`, {
      endToEndIdentification: `e2e-${randomUUID().slice(0, 8)}`,
      debtorAccount: { iban },
      instructedAmount: { currency: 'EUR', amount: '12.34' },
      creditorAccount: { iban: 'DE89370400440532013000' },
      creditorName: 'Bäckerei Müller',
      remittanceInformationUnstructured: 'Invoice 4711',
    });
  const bgCode = (response: { json<T>(): T }) => response.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-dnb-e2e-'));
    ca = await createTestCa('Qualified Web CA', { notBefore: new Date(Date.now() - 400 * 86_400_000) });
    ocsp = await startOcspResponder([ca], new Set());
    dnb = await startDnbRegisterApi();
    pi = await certificatesOf(DUTCH_PI);
    await fs.writeFile(path.join(dir, 'qualified-cas.pem'), ca.certificate.toString('pem'));
    app = await startTestPortico(
      'postgres',
      {
        SANDBOX: 'false',
        DIRECTORY: 'eidas',
        REGISTERS: 'dnb',
        ASPSP_COUNTRY: 'DE',
        REGISTER_DNB_API_URL: dnb.apiUrl,
        REGISTER_DNB_API_KEY: dnb.key,
        TRUSTED_CA_SET_FILE: path.join(dir, 'qualified-cas.pem'),
        TRUSTED_CA_SET_TERRITORY: 'NL',
        XS2A_REQUEST_SIGNATURES: 'required',
      },
      { beforeListen: (portico) => createSandboxModule({ db: portico.database.db }).seed({ customers: 5, months: 1, seed: 17, asOf: new Date() }).then(() => undefined) },
    );
    // The worker loads the trusted CA set and the DNB register on its first start.
    const { db } = app.portico.database;
    await waitFor(async () => (await db.selectFrom('trusted_lists').select('territory').execute()).length === 1 && (await db.selectFrom('register_syncs').select('id').execute()).length === 1, 'the trust data loaded on first start');
    token = (await prepareAisAccess(app.portico, pi.qwac.certificate.toString('pem'), 'initiatie-aisp')).token;
    const psus = await createSandboxModule({ db }).listPsus();
    iban = psus.flatMap((psu) => psu.accounts.filter((account) => account.currency === 'EUR' && account.iban).map((account) => account.iban!))[0]!;
  });
  after(async () => {
    await app?.close();
    await ocsp?.close();
    await dnb?.close();
    await fetch.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a Dutch payment institution passported to Germany for AIS is served there: the UK OB read (200), the Berlin Group consent (201)', async () => {
    const read = await obAccounts(pi.qwac);
    assert.equal(read.status, 200, read.text);
    assertObResponse('account-info', 'GET', `${AISP}/accounts`, read);
    const consent = await bgConsent(pi);
    assert.equal(consent.status, 201, consent.text);
    assertMatchesSchema(consent.json(), bgResponseSchema('/v1/consents', 'post', 201));
  });

  it('attack: wrong role — its QWAC says PISP, but DNB passported it to Germany for AIS only: a payment initiation is refused (BG 401 ROLE_INVALID)', async () => {
    const payment = await bgPayment(pi);
    assert.equal(payment.status, 401, payment.text);
    assert.equal(bgCode(payment), 'ROLE_INVALID');
    assertMatchesSchema(payment.json(), bgResponseSchema('/v1/{payment-service}/{payment-product}', 'post', 401));
  });

  it('attack: a Dutch AISP DNB registered for the Netherlands only is not passported to Germany (OB 403 U014, BG 401 ROLE_INVALID)', async () => {
    const aisp = await certificatesOf(DUTCH_AISP);
    const read = await obAccounts(aisp.qwac);
    assert.equal(read.status, 403, read.text);
    assert.equal(read.json<ObError>().Errors[0]?.ErrorCode, 'U014');
    assert.match(read.text, /neither authorised nor passported to provide its services in the bank's country/);
    assertObResponse('account-info', 'GET', `${AISP}/accounts`, read);
    const consent = await bgConsent(aisp);
    assert.equal(consent.status, 401, consent.text);
    assert.equal(bgCode(consent), 'ROLE_INVALID');
    assertMatchesSchema(consent.json(), bgResponseSchema('/v1/consents', 'post', 401));
  });

  it('attack: licence ended in the DNB register — refused on its next call once the register is synchronised (OB 403 U014, BG 401 CERTIFICATE_BLOCKED)', async () => {
    dnb.change((publications) => {
      dnbRegistration(publications, 'R180001', 'NL')['validityPeriodEndDate'] = '2026-12-01T00:00:00';
    });
    const registers = createRegistersModule({ db: app.portico.database.db, cache: app.portico.cache });
    const { diff } = await synchroniseConfiguredRegister('DNB', { config: app.portico.config, registers, fetch });
    assert.deepEqual(diff?.withdrawn.map((change) => change.organizationIdentifier), ['PSDNL-DNB-R180001']);
    const read = await obAccounts(pi.qwac);
    assert.equal(read.status, 403, read.text);
    assert.equal(read.json<ObError>().Errors[0]?.ErrorCode, 'U014');
    assert.match(read.text, /authorisation withdrawn/);
    assertObResponse('account-info', 'GET', `${AISP}/accounts`, read);
    const consent = await bgConsent(pi);
    assert.equal(consent.status, 401, consent.text);
    assert.equal(bgCode(consent), 'CERTIFICATE_BLOCKED');
    assertMatchesSchema(consent.json(), bgResponseSchema('/v1/consents', 'post', 401));
  });
});
