import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { assertMatchesSchema, bgResponseSchema, bgSchema } from '../../support/openapi.ts';
import { waitFor } from '../../support/wait-for.ts';
import { psuCompletesSca, psusWithIban, XS2A, XS2A_NOK_REDIRECT_URI, XS2A_REDIRECT_URI, Xs2aClient, leastUsedPsu, type SandboxPsu } from '../../support/xs2a-client.ts';

const PAYMENT = '/v1/{payment-service}/{payment-product}';
const created201 = bgResponseSchema(PAYMENT, 'post', 201);
const statusOk = bgResponseSchema(`${PAYMENT}/{paymentId}/status`, 'get', 200);
const readOk = bgResponseSchema(`${PAYMENT}/{paymentId}`, 'get', 200);
/** A valid German IBAN outside the bank (the payment leaves it through the sandbox scheme). */
const CREDITOR_IBAN = 'DE89370400440532013000';

interface Links { [name: string]: { href: string } }

const initiation = (debtorIban: string, amount = '12.34', currency = 'EUR') => ({
  endToEndIdentification: `e2e-${randomUUID().slice(0, 8)}`,
  debtorAccount: { iban: debtorIban },
  instructedAmount: { currency, amount },
  creditorAccount: { iban: CREDITOR_IBAN },
  creditorName: 'Bäckerei Müller',
  remittanceInformationUnstructured: 'Invoice 4711',
});

for (const dialect of DIALECTS) {
  describe(`Berlin Group NextGenPSD2 PIS (${dialect})`, () => {
    let app: TestPortico;
    let tpp: Xs2aClient;
    let psus: Array<{ psu: SandboxPsu; iban: string }>;
    let psu: SandboxPsu;
    let iban: string;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, 'Zahlfix GmbH');
      psus = await psusWithIban(app);
    });
    after(async () => {
      await app?.close();
    });
    // Each test its own PSU: a one-time code is accepted once.
    beforeEach(() => {
      ({ psu, iban } = leastUsedPsu(psus));
    });

    const initiate = (product: string, body: unknown, headers: Record<string, string> = {}) =>
      tpp.request(`${XS2A}/payments/${product}`, { body, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI, 'tpp-nok-redirect-uri': XS2A_NOK_REDIRECT_URI, ...headers } });
    const statusOf = async (product: string, paymentId: string) => (await tpp.request(`${XS2A}/payments/${product}/${paymentId}/status`)).json<{ transactionStatus: string }>().transactionStatus;

    for (const product of ['sepa-credit-transfers', 'instant-sepa-credit-transfers', 'target-2-payments', 'cross-border-credit-transfers']) {
      it(`${product}: initiation → redirect SCA with dynamic linking → executed on the ledger → ACSC`, async () => {
        const body = initiation(iban);
        const created = await initiate(product, body);
        assert.equal(created.status, 201, created.text);
        assert.equal(created.headers['aspsp-sca-approach'], 'REDIRECT');
        assertMatchesSchema(created.json(), created201);
        const { paymentId, transactionStatus, _links } = created.json<{ paymentId: string; transactionStatus: string; _links: Links }>();
        assert.equal(transactionStatus, 'RCVD');
        assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
        await waitFor(async () => (await statusOf(product, paymentId)) === 'ACSC', `payment ${paymentId} settled`);
        const status = await tpp.request(`${XS2A}/payments/${product}/${paymentId}/status`);
        assertMatchesSchema(status.json(), statusOk);
        const read = await tpp.request(`${XS2A}/payments/${product}/${paymentId}`);
        assertMatchesSchema(read.json(), readOk);
        assert.deepEqual(read.json(), { ...body, transactionStatus: 'ACSC' });
        assert.deepEqual((await tpp.request(new URL(_links['scaStatus']!.href).pathname)).json(), { scaStatus: 'finalised' });
      });
    }

    it('periodic payment: initiation → SCA → its standing order set up, the first instalment paid today (ACSP), the initiation echoed', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const body = { ...initiation(iban, '5.00'), startDate: today, frequency: 'Monthly', dayOfExecution: String(new Date().getUTCDate()) };
      const created = await tpp.request(`${XS2A}/periodic-payments/sepa-credit-transfers`, { body, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      assert.equal(created.status, 201, created.text);
      assertMatchesSchema(created.json(), bgResponseSchema(PAYMENT, 'post', 201));
      const { paymentId, _links } = created.json<{ paymentId: string; _links: Links }>();
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      const periodicStatus = async () => (await tpp.request(`${XS2A}/periodic-payments/sepa-credit-transfers/${paymentId}/status`)).json<{ transactionStatus: string }>().transactionStatus;
      await waitFor(async () => (await periodicStatus()) === 'ACSP', `periodic payment ${paymentId} set up`);
      const read = await tpp.request(`${XS2A}/periodic-payments/sepa-credit-transfers/${paymentId}`);
      // The file's 200 is a oneOf of the single, periodic and bulk bodies, and a periodic body is also a
      // valid (open) single one, so it can never match exactly one: checked as the periodic body it is.
      assertMatchesSchema(read.json(), bgSchema('periodicPaymentInitiationWithStatusResponse'));
      assert.deepEqual(read.json(), { ...body, transactionStatus: 'ACSP' });
      // The same id is no single payment: each service knows its own resources only.
      assert.equal((await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${paymentId}/status`)).status, 403);
    });

    it('periodic payment: a start date in the past is 400 EXECUTION_DATE_INVALID', async () => {
      const past = await tpp.request(`${XS2A}/periodic-payments/sepa-credit-transfers`, { body: { ...initiation(iban), startDate: '2020-01-01', frequency: 'Monthly' }, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      assert.equal(past.status, 400, past.text);
      assert.equal(past.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code, 'EXECUTION_DATE_INVALID');
    });

    it('bulk payment: two payments authorised by one SCA, executed on the ledger → ACSC, the bulk echoed', async () => {
      const { debtorAccount: _debtor, ...first } = initiation(iban, '3.10');
      const { debtorAccount: _same, ...second } = { ...initiation(iban, '4.20'), creditorName: 'Blumen Schmidt' };
      const body = { batchBookingPreferred: false, debtorAccount: { iban }, payments: [first, second] };
      const created = await tpp.request(`${XS2A}/bulk-payments/sepa-credit-transfers`, { body, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      assert.equal(created.status, 201, created.text);
      assertMatchesSchema(created.json(), bgResponseSchema(PAYMENT, 'post', 201));
      const { paymentId, _links } = created.json<{ paymentId: string; _links: Links }>();
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      const bulkStatus = async () => (await tpp.request(`${XS2A}/bulk-payments/sepa-credit-transfers/${paymentId}/status`)).json<{ transactionStatus: string }>().transactionStatus;
      await waitFor(async () => (await bulkStatus()) === 'ACSC', `bulk payment ${paymentId} settled`);
      const read = await tpp.request(`${XS2A}/bulk-payments/sepa-credit-transfers/${paymentId}`);
      assertMatchesSchema(read.json(), bgSchema('bulkPaymentInitiationWithStatusResponse'));
      assert.deepEqual(read.json(), { ...body, transactionStatus: 'ACSC' });
    });

    it('bulk payment: an amount the bank cannot book is 400 FORMAT_ERROR and a SEPA payment in dollars 400 PARAMETER_NOT_CONSISTENT, each naming its payment', async () => {
      const { debtorAccount: _debtor, ...good } = initiation(iban, '1.00');
      const bulk = (second: Record<string, unknown>) => ({ debtorAccount: { iban }, payments: [good, { ...good, ...second }] });
      for (const [second, code, path] of [
        [{ instructedAmount: { currency: 'EUR', amount: '1.001' } }, 'FORMAT_ERROR', 'payments[1].instructedAmount.amount'],
        [{ instructedAmount: { currency: 'EUR', amount: '12345678901234' } }, 'FORMAT_ERROR', 'payments[1].instructedAmount.amount'],
        [{ instructedAmount: { currency: 'USD', amount: '1.00' } }, 'PARAMETER_NOT_CONSISTENT', 'payments[1].instructedAmount.currency'],
      ] as const) {
        const refused = await tpp.request(`${XS2A}/bulk-payments/sepa-credit-transfers`, { body: bulk(second), psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
        assert.equal(refused.status, 400, refused.text);
        assertMatchesSchema(refused.json(), bgResponseSchema(PAYMENT, 'post', 400));
        assert.deepEqual(refused.json<{ tppMessages: Array<{ code: string; path: string }> }>().tppMessages.map((m) => [m.code, m.path]), [[code, path]]);
      }
    });

    it('the same X-Request-ID and body answer with the same payment; another body under it is refused', async () => {
      const requestId = randomUUID();
      const body = initiation(iban);
      const first = await initiate('sepa-credit-transfers', body, { 'x-request-id': requestId });
      const again = await initiate('sepa-credit-transfers', body, { 'x-request-id': requestId });
      assert.equal(first.status, 201, first.text);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.json<{ paymentId: string }>().paymentId, first.json<{ paymentId: string }>().paymentId);
      const different = await initiate('sepa-credit-transfers', { ...body, instructedAmount: { currency: 'EUR', amount: '99.00' } }, { 'x-request-id': requestId });
      assert.equal(different.status, 400, different.text);
      assertMatchesSchema(different.json(), bgResponseSchema(PAYMENT, 'post', 400));
    });

    it('cancellation: before authorisation 204 and CANC; once authorised 405 CANCELLATION_INVALID', async () => {
      const pending = (await initiate('sepa-credit-transfers', initiation(iban))).json<{ paymentId: string }>().paymentId;
      assert.equal((await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${pending}`, { method: 'DELETE' })).status, 204);
      assert.equal(await statusOf('sepa-credit-transfers', pending), 'CANC');
      const created = (await initiate('sepa-credit-transfers', initiation(iban))).json<{ paymentId: string; _links: Links }>();
      await psuCompletesSca(app, created._links['scaRedirect']!.href, psu);
      const refused = await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${created.paymentId}`, { method: 'DELETE' });
      assert.equal(refused.status, 405, refused.text);
      assertMatchesSchema(refused.json(), bgResponseSchema(`${PAYMENT}/{paymentId}`, 'delete', 405));
      assert.equal(refused.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code, 'CANCELLATION_INVALID');
    });

    it('a product the bank does not offer is 404 PRODUCT_UNKNOWN; SEPA in another currency is refused', async () => {
      const unknown = await initiate('sepa-direct-debits', initiation(iban));
      assert.equal(unknown.status, 404, unknown.text);
      assert.equal(unknown.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code, 'PRODUCT_UNKNOWN');
      const gbp = await initiate('sepa-credit-transfers', initiation(iban, '1.00', 'GBP'));
      assert.equal(gbp.status, 400, gbp.text);
      assertMatchesSchema(gbp.json(), bgResponseSchema(PAYMENT, 'post', 400));
    });

    it("attack: another TPP's payment id reads as unknown (403 RESOURCE_UNKNOWN) and cannot be cancelled", async () => {
      const paymentId = (await initiate('sepa-credit-transfers', initiation(iban))).json<{ paymentId: string }>().paymentId;
      const other = await Xs2aClient.onboard(app, 'Neugier AG');
      for (const [method, path] of [['GET', `${XS2A}/payments/sepa-credit-transfers/${paymentId}`], ['GET', `${XS2A}/payments/sepa-credit-transfers/${paymentId}/status`], ['DELETE', `${XS2A}/payments/sepa-credit-transfers/${paymentId}`], ['POST', `${XS2A}/payments/sepa-credit-transfers/${paymentId}/authorisations`]] as const) {
        const refused = await other.request(path, { method, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
        assert.equal(refused.status, 403, `${method} ${path}: ${refused.text}`);
        assert.equal(refused.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code, 'RESOURCE_UNKNOWN');
      }
      assert.equal(await statusOf('sepa-credit-transfers', paymentId), 'RCVD');
    });

    it('attack: a QWAC without the PISP role cannot initiate (401 ROLE_INVALID)', async () => {
      const aispOnly = await Xs2aClient.onboard(app, 'Nur Lesen GmbH', ['AISP']);
      const refused = await aispOnly.request(`${XS2A}/payments/sepa-credit-transfers`, { body: initiation(iban), psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      assert.equal(refused.status, 401, refused.text);
      assertMatchesSchema(refused.json(), bgResponseSchema(PAYMENT, 'post', 401));
      assert.equal(refused.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code, 'ROLE_INVALID');
    });
  });
}
