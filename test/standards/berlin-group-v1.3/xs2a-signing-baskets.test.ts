import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { assertMatchesSchema, bgResponseSchema } from '../../support/openapi.ts';
import { PsuAgent } from '../../support/psu-agent.ts';
import { waitFor } from '../../support/wait-for.ts';
import { detailedConsent, leastUsedPsu, psuCompletesSca, psusWithIban, XS2A, XS2A_NOK_REDIRECT_URI, XS2A_REDIRECT_URI, Xs2aClient, type SandboxPsu } from '../../support/xs2a-client.ts';

const BASKETS = '/v1/signing-baskets';
const created201 = bgResponseSchema(BASKETS, 'post', 201);
const read200 = bgResponseSchema(`${BASKETS}/{basketId}`, 'get', 200);
const status200 = bgResponseSchema(`${BASKETS}/{basketId}/status`, 'get', 200);
const AUTHORISATIONS = `${BASKETS}/{basketId}/authorisations`;
const start201 = bgResponseSchema(AUTHORISATIONS, 'post', 201);
const list200 = bgResponseSchema(AUTHORISATIONS, 'get', 200);
const scaStatus200 = bgResponseSchema(`${AUTHORISATIONS}/{authorisationId}`, 'get', 200);
const CREDITOR_IBAN = 'DE89370400440532013000';
const REDIRECTS = { 'tpp-redirect-uri': XS2A_REDIRECT_URI, 'tpp-nok-redirect-uri': XS2A_NOK_REDIRECT_URI };

interface Links { [name: string]: { href: string } }
type TppMessages = { tppMessages: Array<{ code: string; path?: string }> };

/**
 * NextGenPSD2 signing baskets over HTTP: payments and consents of one TPP authorised with one SCA,
 * every response checked against the v1.3.12 file, and the named attacks on baskets.
 */
for (const dialect of DIALECTS) {
  describe(`Berlin Group NextGenPSD2 signing baskets (${dialect})`, () => {
    let app: TestPortico;
    let tpp: Xs2aClient;
    let other: Xs2aClient;
    let psus: Array<{ psu: SandboxPsu; iban: string; accountId: string }>;
    let psu: SandboxPsu;
    let iban: string;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, 'Korbwerk Zahlungen GmbH');
      other = await Xs2aClient.onboard(app, 'Fremde Körbe AG');
      psus = await psusWithIban(app);
    });
    after(async () => {
      await app?.close();
    });
    beforeEach(() => {
      ({ psu, iban } = leastUsedPsu(psus));
    });

    const payment = async (owner: Xs2aClient, debtorIban: string, amount: string, creditorName = 'Stadtwerke Köln') => {
      const created = await owner.request(`${XS2A}/payments/sepa-credit-transfers`, {
        body: { endToEndIdentification: `e2e-${randomUUID().slice(0, 8)}`, debtorAccount: { iban: debtorIban }, instructedAmount: { currency: 'EUR', amount }, creditorAccount: { iban: CREDITOR_IBAN }, creditorName, remittanceInformationUnstructured: 'Korb' },
        psuPresent: true,
        headers: REDIRECTS,
      });
      assert.equal(created.status, 201, created.text);
      return created.json<{ paymentId: string; _links: Links }>();
    };
    const consent = async (owner: Xs2aClient, ibans: string[]) => {
      const created = await owner.createConsent(detailedConsent(ibans));
      assert.equal(created.status, 201, created.text);
      return created.json<{ consentId: string; _links: Links }>();
    };
    const createBasket = (owner: Xs2aClient, body: unknown, headers: Record<string, string> = {}) => owner.request(`${XS2A}/signing-baskets`, { body, psuPresent: true, headers: { ...REDIRECTS, ...headers } });
    const basketCreated = async (body: unknown, headers: Record<string, string> = {}) => {
      const created = await createBasket(tpp, body, headers);
      assert.equal(created.status, 201, created.text);
      assertMatchesSchema(created.json(), created201);
      assert.equal(created.headers['aspsp-sca-approach'], 'REDIRECT');
      return created.json<{ basketId: string; transactionStatus: string; _links: Links }>();
    };
    const basketStatus = async (basketId: string, client = tpp) => {
      const read = await client.request(`${XS2A}/signing-baskets/${basketId}/status`);
      assert.equal(read.status, 200, read.text);
      assertMatchesSchema(read.json(), status200);
      return read.json<{ transactionStatus: string }>().transactionStatus;
    };
    const paymentStatus = async (paymentId: string) => (await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${paymentId}/status`)).json<{ transactionStatus: string }>().transactionStatus;
    const consentStatus = async (consentId: string) => (await tpp.request(`${XS2A}/consents/${consentId}/status`)).json<{ consentStatus: string }>().consentStatus;
    const refusal = (response: { status: number; text: string; json<T>(): T }, status: number, code: string, schema = bgResponseSchema(BASKETS, 'post', status)) => {
      assert.equal(response.status, status, response.text);
      assertMatchesSchema(response.json(), schema);
      const message = response.json<TppMessages>().tppMessages[0]!;
      assert.equal(message.code, code);
      return message;
    };

    it('two payments and a consent, one SCA: 201 with the SCA started; the PSU approves once → basket ACTC, payments ACSC, consent valid', async () => {
      const first = await payment(tpp, iban, '12.34', 'Bäckerei Müller');
      const second = await payment(tpp, iban, '25.00');
      const access = await consent(tpp, [iban]);
      const basket = await basketCreated({ paymentIds: [first.paymentId, second.paymentId], consentIds: [access.consentId] });
      assert.equal(basket.transactionStatus, 'RCVD');
      const self = new URL(`${XS2A}/signing-baskets/${basket.basketId}`, app.base).toString();
      assert.equal(basket._links['self']!.href, self);
      assert.equal(basket._links['status']!.href, `${self}/status`);
      const authorisationId = new URL(basket._links['scaStatus']!.href).pathname.split('/').pop()!;
      assert.equal(new URL(basket._links['scaStatus']!.href).pathname, `${XS2A}/signing-baskets/${basket.basketId}/authorisations/${authorisationId}`);

      const read = await tpp.request(`${XS2A}/signing-baskets/${basket.basketId}`);
      assert.equal(read.status, 200, read.text);
      assertMatchesSchema(read.json(), read200);
      assert.deepEqual(read.json(), { payments: [first.paymentId, second.paymentId], consents: [access.consentId], transactionStatus: 'RCVD', _links: { self: { href: self }, status: { href: `${self}/status` }, startAuthorisation: { href: `${self}/authorisations` } } });

      assert.equal(await psuCompletesSca(app, basket._links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      assert.equal(await basketStatus(basket.basketId), 'ACTC');
      assert.equal(await consentStatus(access.consentId), 'valid');
      for (const { paymentId } of [first, second]) await waitFor(async () => (await paymentStatus(paymentId)) === 'ACSC', `payment ${paymentId} settled`);
      const sca = await tpp.request(`${XS2A}/signing-baskets/${basket.basketId}/authorisations/${authorisationId}`);
      assertMatchesSchema(sca.json(), scaStatus200);
      assert.deepEqual(sca.json(), { scaStatus: 'finalised' });
      const list = await tpp.request(`${XS2A}/signing-baskets/${basket.basketId}/authorisations`);
      assertMatchesSchema(list.json(), list200);
      assert.deepEqual(list.json(), { authorisationIds: [authorisationId] });
    });

    it('explicit start: startAuthorisation, then POST …/authorisations starts the SCA (201, scaRedirect)', async () => {
      const { paymentId } = await payment(tpp, iban, '3.00');
      const basket = await basketCreated({ paymentIds: [paymentId] }, { 'tpp-explicit-authorisation-preferred': 'true' });
      assert.deepEqual(Object.keys(basket._links).sort(), ['self', 'startAuthorisation', 'status']);
      const started = await tpp.request(new URL(basket._links['startAuthorisation']!.href).pathname, { method: 'POST', headers: REDIRECTS });
      assert.equal(started.status, 201, started.text);
      assertMatchesSchema(started.json(), start201);
      const body = started.json<{ scaStatus: string; authorisationId: string; _links: Links }>();
      assert.equal(body.scaStatus, 'received');
      assert.equal(await psuCompletesSca(app, body._links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      assert.equal(await basketStatus(basket.basketId), 'ACTC');
      const again = await tpp.request(new URL(basket._links['startAuthorisation']!.href).pathname, { method: 'POST', headers: REDIRECTS });
      refusal(again, 409, 'STATUS_INVALID', bgResponseSchema(AUTHORISATIONS, 'post', 409));
    });

    it('a member is authorised with its basket only: its own authorisation is 409 STATUS_INVALID and its own SCA link sends the PSU back to the nok URI', async () => {
      const member = await payment(tpp, iban, '4.00');
      await basketCreated({ paymentIds: [member.paymentId] });
      const alone = await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${member.paymentId}/authorisations`, { method: 'POST', headers: REDIRECTS });
      refusal(alone, 409, 'STATUS_INVALID', bgResponseSchema('/v1/{payment-service}/{payment-product}/{paymentId}/authorisations', 'post', 409));
      const agent = new PsuAgent(app);
      await agent.go(member._links['scaRedirect']!.href);
      assert.equal(agent.location, XS2A_NOK_REDIRECT_URI);
      assert.equal(await paymentStatus(member.paymentId), 'RCVD');
    });

    it('DELETE cancels a basket not yet authorised (204, CANC): its members stay and can be authorised alone; a second DELETE is 409 STATUS_INVALID', async () => {
      const member = await payment(tpp, iban, '5.00');
      const basket = await basketCreated({ paymentIds: [member.paymentId] });
      const deleted = await tpp.request(`${XS2A}/signing-baskets/${basket.basketId}`, { method: 'DELETE' });
      assert.equal(deleted.status, 204, deleted.text);
      assert.equal(await basketStatus(basket.basketId), 'CANC');
      const again = await tpp.request(`${XS2A}/signing-baskets/${basket.basketId}`, { method: 'DELETE' });
      refusal(again, 409, 'STATUS_INVALID', bgResponseSchema(`${BASKETS}/{basketId}`, 'delete', 409));
      const alone = await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${member.paymentId}/authorisations`, { method: 'POST', headers: REDIRECTS });
      assert.equal(alone.status, 201, alone.text);
      assert.equal(await psuCompletesSca(app, alone.json<{ _links: Links }>()._links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      await waitFor(async () => (await paymentStatus(member.paymentId)) === 'ACSC', 'the member authorised alone is paid');
    });

    it('the PSU denies the basket: RJCT, nothing authorised, the members still RCVD', async () => {
      const member = await payment(tpp, iban, '6.00');
      const access = await consent(tpp, [iban]);
      const basket = await basketCreated({ paymentIds: [member.paymentId], consentIds: [access.consentId] });
      assert.equal(await psuCompletesSca(app, basket._links['scaRedirect']!.href, psu, { decision: 'deny' }), XS2A_NOK_REDIRECT_URI);
      assert.equal(await basketStatus(basket.basketId), 'RJCT');
      assert.equal(await paymentStatus(member.paymentId), 'RCVD');
      assert.equal(await consentStatus(access.consentId), 'received');
    });

    it('a member cancelled by the TPP before the SCA ends fails the basket cleanly: RJCT, the PSU back at the nok URI, the other member not authorised', async () => {
      const kept = await payment(tpp, iban, '7.00');
      const cancelled = await payment(tpp, iban, '8.00');
      const basket = await basketCreated({ paymentIds: [kept.paymentId, cancelled.paymentId] });
      const deleted = await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${cancelled.paymentId}`, { method: 'DELETE' });
      assert.equal(deleted.status, 204, deleted.text);
      const agent = new PsuAgent(app);
      await agent.go(basket._links['scaRedirect']!.href);
      assert.equal(agent.location, XS2A_NOK_REDIRECT_URI);
      assert.equal(await basketStatus(basket.basketId), 'RJCT');
      assert.equal(await paymentStatus(kept.paymentId), 'RCVD');
      // Out of its failed basket, the other member is free for a new one.
      await basketCreated({ paymentIds: [kept.paymentId] });
    });

    it('attack: another TPP’s payment id in a basket is 400 RESOURCE_UNKNOWN naming it, and no basket is made', async () => {
      const mine = await payment(tpp, iban, '9.00');
      const theirs = await payment(other, iban, '9.50');
      const refused = await createBasket(tpp, { paymentIds: [mine.paymentId, theirs.paymentId] });
      assert.equal(refusal(refused, 400, 'RESOURCE_UNKNOWN').path, 'paymentIds[1]');
      // A consent named as a payment is as unknown as a foreign one.
      const access = await consent(tpp, [iban]);
      assert.equal(refusal(await createBasket(tpp, { paymentIds: [access.consentId] }), 400, 'RESOURCE_UNKNOWN').path, 'paymentIds[0]');
      // Nothing was kept: the TPP's own payment goes in a basket of its own.
      await basketCreated({ paymentIds: [mine.paymentId] });
    });

    it('attack: a basket member already authorised is 409 REFERENCE_STATUS_INVALID; so is one already in another basket', async () => {
      const authorised = await payment(tpp, iban, '10.00');
      assert.equal(await psuCompletesSca(app, authorised._links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      assert.equal(refusal(await createBasket(tpp, { paymentIds: [authorised.paymentId] }), 409, 'REFERENCE_STATUS_INVALID').path, 'paymentIds[0]');
      const member = await payment(tpp, iban, '11.00');
      await basketCreated({ paymentIds: [member.paymentId] });
      const fresh = await consent(tpp, [iban]);
      refusal(await createBasket(tpp, { paymentIds: [member.paymentId], consentIds: [fresh.consentId] }), 409, 'REFERENCE_STATUS_INVALID');
      refusal(await createBasket(tpp, {}), 400, 'FORMAT_ERROR');
    });

    it('attack: a basket with a payment of another PSU: the PSU who logs in does not hold its debtor account → back at the nok URI, nothing authorised, the basket still RCVD', async () => {
      const another = psus.find((candidate) => candidate.psu.username !== psu.username)!;
      const mine = await payment(tpp, iban, '12.00');
      const theirs = await payment(tpp, another.iban, '13.00');
      const basket = await basketCreated({ paymentIds: [mine.paymentId, theirs.paymentId] });
      const agent = new PsuAgent(app);
      await agent.go(basket._links['scaRedirect']!.href);
      await agent.go(`${basket._links['scaRedirect']!.href}/login`, { username: psu.username, password: psu.password });
      assert.equal(agent.location, XS2A_NOK_REDIRECT_URI);
      assert.equal(await basketStatus(basket.basketId), 'RCVD');
      assert.equal(await paymentStatus(mine.paymentId), 'RCVD');
      assert.equal(await paymentStatus(theirs.paymentId), 'RCVD');
      const authorisationId = new URL(basket._links['scaStatus']!.href).pathname.split('/').pop()!;
      assert.deepEqual((await tpp.request(`${XS2A}/signing-baskets/${basket.basketId}/authorisations/${authorisationId}`)).json(), { scaStatus: 'failed' });
    });

    it('attack: reading another TPP’s basket is 403 RESOURCE_UNKNOWN on every path, as an unknown one is', async () => {
      const { paymentId } = await payment(tpp, iban, '14.00');
      const basket = await basketCreated({ paymentIds: [paymentId] });
      const path = `${XS2A}/signing-baskets/${basket.basketId}`;
      refusal(await other.request(path), 403, 'RESOURCE_UNKNOWN', bgResponseSchema(`${BASKETS}/{basketId}`, 'get', 403));
      refusal(await other.request(`${path}/status`), 403, 'RESOURCE_UNKNOWN', bgResponseSchema(`${BASKETS}/{basketId}/status`, 'get', 403));
      refusal(await other.request(path, { method: 'DELETE' }), 403, 'RESOURCE_UNKNOWN', bgResponseSchema(`${BASKETS}/{basketId}`, 'delete', 403));
      refusal(await other.request(`${path}/authorisations`), 403, 'RESOURCE_UNKNOWN', bgResponseSchema(AUTHORISATIONS, 'get', 403));
      refusal(await other.request(`${path}/authorisations`, { method: 'POST', headers: REDIRECTS }), 403, 'RESOURCE_UNKNOWN', bgResponseSchema(AUTHORISATIONS, 'post', 403));
      refusal(await tpp.request(`${XS2A}/signing-baskets/sbs-unknown`), 403, 'RESOURCE_UNKNOWN', bgResponseSchema(`${BASKETS}/{basketId}`, 'get', 403));
      assert.equal(await basketStatus(basket.basketId), 'RCVD', 'the owner still reads it, untouched');
    });
  });
}
