import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { assertMatchesSchema, bgResponseSchema } from '../../support/openapi.ts';
import { detailedConsent, psuCompletesSca, psusWithIban, XS2A, XS2A_NOK_REDIRECT_URI, XS2A_REDIRECT_URI, Xs2aClient, leastUsedPsu, type SandboxPsu } from '../../support/xs2a-client.ts';

const consentCreated = bgResponseSchema('/v1/consents', 'post', 201);
const consentRead = bgResponseSchema('/v1/consents/{consentId}', 'get', 200);
const consentStatus = bgResponseSchema('/v1/consents/{consentId}/status', 'get', 200);
const scaStatus = bgResponseSchema('/v1/consents/{consentId}/authorisations/{authorisationId}', 'get', 200);
const accountList = bgResponseSchema('/v1/accounts', 'get', 200);
const accountRead = bgResponseSchema('/v1/accounts/{account-id}', 'get', 200);
const balancesRead = bgResponseSchema('/v1/accounts/{account-id}/balances', 'get', 200);
const transactionsRead = bgResponseSchema('/v1/accounts/{account-id}/transactions', 'get', 200);
const TRANSACTION_DETAILS = '/v1/accounts/{account-id}/transactions/{transactionId}';
const detailsRead = bgResponseSchema(TRANSACTION_DETAILS, 'get', 200);

interface ListedTransaction { transactionId: string; _links: Links }

interface Links { [name: string]: { href: string } }

for (const dialect of DIALECTS) {
  describe(`Berlin Group NextGenPSD2 AIS (${dialect})`, () => {
    let app: TestPortico;
    let tpp: Xs2aClient;
    let psus: Array<{ psu: SandboxPsu; iban: string; accountId: string }>;
    let psu: SandboxPsu;
    let iban: string;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, 'Kontoblick GmbH');
      psus = await psusWithIban(app);
    });
    // Each test its own PSU: a one-time code is accepted once.
    beforeEach(() => {
      ({ psu, iban } = leastUsedPsu(psus));
    });
    after(async () => {
      await app?.close();
    });

    /** A consent for the PSU's account, authorised through the redirect SCA. */
    async function authorisedConsent(overrides: Record<string, unknown> = {}, by: { psu: SandboxPsu; iban: string } = { psu, iban }): Promise<string> {
      const created = await tpp.createConsent(detailedConsent([by.iban], overrides));
      assert.equal(created.status, 201, created.text);
      const { consentId, _links } = created.json<{ consentId: string; _links: Links }>();
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, by.psu), XS2A_REDIRECT_URI);
      return consentId;
    }
    /** The resourceId of the consent's one account. */
    const resourceIdOf = async (consentId: string) =>
      (await tpp.request(`${XS2A}/accounts`, { headers: { 'consent-id': consentId }, psuPresent: true })).json<{ accounts: Array<{ resourceId: string }> }>().accounts[0]!.resourceId;
    const transactionsOf = async (consentId: string, resourceId: string) =>
      (await tpp.request(`${XS2A}/accounts/${resourceId}/transactions?bookingStatus=both&dateFrom=2000-01-01`, { headers: { 'consent-id': consentId }, psuPresent: true })).json<{
        transactions: { booked: ListedTransaction[]; pending: ListedTransaction[] };
      }>().transactions;

    it('creates a consent with the SCA started at once: 201, Location, ASPSP-SCA-Approach, X-Request-ID echoed, the official schema', async () => {
      const requestId = '3a7b1f0c-5c1e-4a8e-9b52-7f0e0d6a1c11';
      const created = await tpp.createConsent(detailedConsent([iban]), { 'x-request-id': requestId });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.headers['x-request-id'], requestId);
      assert.equal(created.headers['aspsp-sca-approach'], 'REDIRECT');
      const body = created.json<{ consentId: string; consentStatus: string; _links: Links }>();
      assertMatchesSchema(body, consentCreated);
      assert.equal(body.consentStatus, 'received');
      assert.equal(created.headers.location, `${app.base}${XS2A}/consents/${body.consentId}`);
      assert.match(body._links['scaRedirect']!.href, /\/psu\/authorisations\/sca-/);
      const status = await tpp.request(new URL(body._links['scaStatus']!.href).pathname);
      assert.equal(status.status, 200, status.text);
      assertMatchesSchema(status.json(), scaStatus);
      assert.deepEqual(status.json(), { scaStatus: 'received' });
    });

    it('the full journey: consent → redirect SCA → accounts, balances and transactions, each as the official file defines it', async () => {
      const consentId = await authorisedConsent();
      const read = await tpp.request(`${XS2A}/consents/${consentId}`);
      assertMatchesSchema(read.json(), consentRead);
      assert.equal(read.json<{ consentStatus: string }>().consentStatus, 'valid');
      assert.deepEqual(read.json<{ access: unknown }>().access, detailedConsent([iban]).access);
      assertMatchesSchema((await tpp.request(`${XS2A}/consents/${consentId}/status`)).json(), consentStatus);

      const list = await tpp.request(`${XS2A}/accounts?withBalance=true`, { headers: { 'consent-id': consentId }, psuPresent: true });
      assert.equal(list.status, 200, list.text);
      assertMatchesSchema(list.json(), accountList);
      const accounts = list.json<{ accounts: Array<{ resourceId: string; iban: string; balances?: unknown[]; _links: Links }> }>().accounts;
      assert.deepEqual(accounts.map((a) => a.iban), [iban]);
      assert.ok(accounts[0]!.balances && accounts[0]!.balances.length > 0);
      const resourceId = accounts[0]!.resourceId;

      const account = await tpp.request(`${XS2A}/accounts/${resourceId}`, { headers: { 'consent-id': consentId }, psuPresent: true });
      assertMatchesSchema(account.json(), accountRead);
      const balances = await tpp.request(`${XS2A}/accounts/${resourceId}/balances`, { headers: { 'consent-id': consentId }, psuPresent: true });
      assert.equal(balances.status, 200, balances.text);
      assertMatchesSchema(balances.json(), balancesRead);
      assert.deepEqual(balances.json<{ balances: Array<{ balanceType: string }> }>().balances.map((b) => b.balanceType), ['closingBooked', 'interimAvailable', 'expected']);
      const transactions = await tpp.request(`${XS2A}/accounts/${resourceId}/transactions?bookingStatus=both&dateFrom=2000-01-01`, { headers: { 'consent-id': consentId }, psuPresent: true });
      assert.equal(transactions.status, 200, transactions.text);
      assertMatchesSchema(transactions.json(), transactionsRead);
      const booked = transactions.json<{ transactions: { booked: Array<{ bookingDate: string }>; pending: unknown[] } }>().transactions.booked;
      assert.ok(booked.length > 0, 'the sandbox account has booked transactions');
      const onlyBooked = await tpp.request(`${XS2A}/accounts/${resourceId}/transactions?bookingStatus=booked&dateFrom=2000-01-01`, { headers: { 'consent-id': consentId }, psuPresent: true });
      assert.equal(onlyBooked.json<{ transactions: { pending?: unknown } }>().transactions.pending, undefined);
    });

    it('transaction details: each listed transaction links its details, which answer as it is listed (the official schema), and count as a read of transactions', async () => {
      const consentId = await authorisedConsent({ frequencyPerDay: 2 });
      const resourceId = await resourceIdOf(consentId);
      const { booked, pending } = await transactionsOf(consentId, resourceId);
      for (const listed of [booked[0]!, booked.at(-1)!, ...pending.slice(0, 1)]) {
        const { _links, ...entry } = listed;
        assert.equal(_links['transactionDetails']!.href, `${app.base}${XS2A}/accounts/${resourceId}/transactions/${encodeURIComponent(entry.transactionId)}`);
        const details = await tpp.request(new URL(_links['transactionDetails']!.href).pathname, { headers: { 'consent-id': consentId }, psuPresent: true });
        assert.equal(details.status, 200, details.text);
        assertMatchesSchema(details.json(), detailsRead);
        assert.deepEqual(details.json(), { transactionsDetails: entry });
      }
      // Without the PSU it counts against frequencyPerDay with the list, as one more read of the account's transactions.
      const path = `${XS2A}/accounts/${resourceId}/transactions/${encodeURIComponent(booked[0]!.transactionId)}`;
      assert.equal((await tpp.request(`${XS2A}/accounts/${resourceId}/transactions?bookingStatus=booked&dateFrom=2000-01-01`, { headers: { 'consent-id': consentId } })).status, 200);
      assert.equal((await tpp.request(path, { headers: { 'consent-id': consentId } })).status, 200);
      const third = await tpp.request(path, { headers: { 'consent-id': consentId } });
      assert.equal(third.status, 429, third.text);
      assertMatchesSchema(third.json(), bgResponseSchema(TRANSACTION_DETAILS, 'get', 429));
      assert.equal(third.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code, 'ACCESS_EXCEEDED');
    });

    it("attack: a TPP holding two PSUs' consents reads neither PSU's transaction under the other's consent, nor one its consent does not cover; no data leaks", async () => {
      const mine = { psu, iban };
      const theirs = leastUsedPsu(psus.filter((other) => other.psu !== psu));
      const consentId = await authorisedConsent({}, mine);
      const resourceId = await resourceIdOf(consentId);
      // The other PSU's consent covers their account's details only: no transactions.
      const otherConsent = await authorisedConsent({ access: { accounts: [{ iban: theirs.iban }] } }, theirs);
      const otherResourceId = await resourceIdOf(otherConsent);
      const [otherTransaction] = (await app.portico.core.listTransactions([theirs.accountId], { limit: 1 }))!.items;
      const { transactionId } = (await transactionsOf(consentId, resourceId)).booked[0]!;
      const read = (consent: string, account: string, id: string) => tpp.request(`${XS2A}/accounts/${account}/transactions/${encodeURIComponent(id)}`, { headers: { 'consent-id': consent }, psuPresent: true });
      const refusedWith = async (answer: Awaited<ReturnType<typeof read>>, status: number, code: string) => {
        assert.equal(answer.status, status, answer.text);
        assertMatchesSchema(answer.json(), bgResponseSchema(TRANSACTION_DETAILS, 'get', status));
        assert.deepEqual(answer.json<{ tppMessages: Array<{ code: string }> }>().tppMessages.map((m) => m.code), [code]);
        assert.ok(!answer.text.includes(otherTransaction!.id) && !answer.text.includes(transactionId), 'no transaction data in the refusal');
      };
      // Another PSU's transaction through my consent and my account: unknown on this account.
      await refusedWith(await read(consentId, resourceId, otherTransaction!.id), 403, 'RESOURCE_UNKNOWN');
      // Their account under my consent: not my consent's account, as for the list.
      await refusedWith(await read(consentId, otherResourceId, otherTransaction!.id), 401, 'CONSENT_INVALID');
      // My transaction under their consent, on their account or mine.
      await refusedWith(await read(otherConsent, otherResourceId, transactionId), 401, 'CONSENT_INVALID');
      await refusedWith(await read(otherConsent, resourceId, transactionId), 401, 'CONSENT_INVALID');
      // Their own transaction under their consent: it does not cover transactions.
      await refusedWith(await read(otherConsent, otherResourceId, otherTransaction!.id), 401, 'CONSENT_INVALID');
      // Ids that name nothing: made up, longer than any the core gives.
      await refusedWith(await read(consentId, resourceId, 'txn-that-does-not-exist'), 403, 'RESOURCE_UNKNOWN');
      await refusedWith(await read(consentId, resourceId, 'x'.repeat(150)), 403, 'RESOURCE_UNKNOWN');
      // Characters no stored id holds: a control character, a letter outside ASCII; a NUL, which no text may carry, is a malformed request.
      for (const hostile of ['a\u0007b', 'ü']) await refusedWith(await read(consentId, resourceId, hostile), 403, 'RESOURCE_UNKNOWN');
      await refusedWith(await read(consentId, resourceId, '\u0000abc'), 400, 'FORMAT_ERROR');
    });

    it('explicit authorisation start: startAuthorisation link, POST /authorisations, the list of authorisation ids', async () => {
      const created = await tpp.createConsent(detailedConsent([iban]), { 'tpp-explicit-authorisation-preferred': 'true' });
      const { consentId, _links } = created.json<{ consentId: string; _links: Links }>();
      assert.ok(_links['startAuthorisation'] && !_links['scaRedirect']);
      const started = await tpp.request(`${XS2A}/consents/${consentId}/authorisations`, { method: 'POST', psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      assert.equal(started.status, 201, started.text);
      assertMatchesSchema(started.json(), bgResponseSchema('/v1/consents/{consentId}/authorisations', 'post', 201));
      const { authorisationId } = started.json<{ authorisationId: string }>();
      const listed = await tpp.request(`${XS2A}/consents/${consentId}/authorisations`);
      assertMatchesSchema(listed.json(), bgResponseSchema('/v1/consents/{consentId}/authorisations', 'get', 200));
      assert.deepEqual(listed.json(), { authorisationIds: [authorisationId] });
    });

    it('the PSU denies: back at the nok URI, scaStatus failed, consentStatus rejected', async () => {
      const created = await tpp.createConsent(detailedConsent([iban]));
      const { consentId, _links } = created.json<{ consentId: string; _links: Links }>();
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu, { decision: 'deny' }), XS2A_NOK_REDIRECT_URI);
      assert.deepEqual((await tpp.request(new URL(_links['scaStatus']!.href).pathname)).json(), { scaStatus: 'failed' });
      assert.deepEqual((await tpp.request(`${XS2A}/consents/${consentId}/status`)).json(), { consentStatus: 'rejected' });
    });

    it('frequencyPerDay: reads without the PSU stop at the consented number a day (429 ACCESS_EXCEEDED); with the PSU they do not count', async () => {
      const consentId = await authorisedConsent({ frequencyPerDay: 2 });
      const list = await tpp.request(`${XS2A}/accounts`, { headers: { 'consent-id': consentId }, psuPresent: true });
      const resourceId = list.json<{ accounts: Array<{ resourceId: string }> }>().accounts[0]!.resourceId;
      const unattended = () => tpp.request(`${XS2A}/accounts/${resourceId}/balances`, { headers: { 'consent-id': consentId } });
      assert.equal((await unattended()).status, 200);
      assert.equal((await unattended()).status, 200);
      const third = await unattended();
      assert.equal(third.status, 429, third.text);
      assertMatchesSchema(third.json(), bgResponseSchema('/v1/accounts/{account-id}/balances', 'get', 429));
      assert.equal(third.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code, 'ACCESS_EXCEEDED');
      const withPsu = await tpp.request(`${XS2A}/accounts/${resourceId}/balances`, { headers: { 'consent-id': consentId }, psuPresent: true });
      assert.equal(withPsu.status, 200, 'a read the PSU takes part in is not limited');
    });

    it('DELETE ends the consent: terminatedByTpp, and the next read is 401 CONSENT_INVALID', async () => {
      const consentId = await authorisedConsent();
      assert.equal((await tpp.request(`${XS2A}/consents/${consentId}`, { method: 'DELETE' })).status, 204);
      assert.deepEqual((await tpp.request(`${XS2A}/consents/${consentId}/status`)).json(), { consentStatus: 'terminatedByTpp' });
      const refused = await tpp.request(`${XS2A}/accounts`, { headers: { 'consent-id': consentId }, psuPresent: true });
      assert.equal(refused.status, 401, refused.text);
      assertMatchesSchema(refused.json(), bgResponseSchema('/v1/accounts', 'get', 401));
      assert.equal(refused.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code, 'CONSENT_INVALID');
    });
  });
}
