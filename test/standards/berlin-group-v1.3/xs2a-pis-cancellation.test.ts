import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { assertMatchesSchema, bgResponseSchema } from '../../support/openapi.ts';
import { PsuAgent } from '../../support/psu-agent.ts';
import { waitFor } from '../../support/wait-for.ts';
import { psuCompletesSca, psusWithIban, untilOneTimeCodeUnused, unusedOneTimeCode, XS2A, XS2A_NOK_REDIRECT_URI, XS2A_REDIRECT_URI, Xs2aClient, leastUsedPsu, type SandboxPsu } from '../../support/xs2a-client.ts';

const PAYMENT = '/v1/{payment-service}/{payment-product}';
const created201 = bgResponseSchema(PAYMENT, 'post', 201);
const readOk = bgResponseSchema(`${PAYMENT}/{paymentId}`, 'get', 200);
const statusOk = bgResponseSchema(`${PAYMENT}/{paymentId}/status`, 'get', 200);
const cancel202 = bgResponseSchema(`${PAYMENT}/{paymentId}`, 'delete', 202);
const cancel405 = bgResponseSchema(`${PAYMENT}/{paymentId}`, 'delete', 405);
const CANCELLATIONS = `${PAYMENT}/{paymentId}/cancellation-authorisations`;
const startCancellation201 = bgResponseSchema(CANCELLATIONS, 'post', 201);
const startCancellation405 = bgResponseSchema(CANCELLATIONS, 'post', 405);
const listCancellations200 = bgResponseSchema(CANCELLATIONS, 'get', 200);
const cancellationStatus200 = bgResponseSchema(`${CANCELLATIONS}/{authorisationId}`, 'get', 200);
const CREDITOR_IBAN = 'DE89370400440532013000';
const DAY = 86_400_000;

interface Links { [name: string]: { href: string } }
type TppMessages = { tppMessages: Array<{ code: string }> };

/** The ISO date `days` after today (UTC). */
const dayAfter = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

const initiation = (debtorIban: string, extra: Record<string, unknown> = {}) => ({
  endToEndIdentification: `e2e-${randomUUID().slice(0, 8)}`,
  debtorAccount: { iban: debtorIban },
  instructedAmount: { currency: 'EUR', amount: '7.50' },
  creditorAccount: { iban: CREDITOR_IBAN },
  creditorName: 'Stadtwerke Köln',
  remittanceInformationUnstructured: 'Abschlag Mai',
  ...extra,
});

for (const dialect of DIALECTS) {
  describe(`Berlin Group NextGenPSD2 future-dated payments and cancellation with SCA (${dialect})`, () => {
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
    beforeEach(() => {
      ({ psu, iban } = leastUsedPsu(psus));
    });

    const pathOf = (service: string, paymentId: string) => `${XS2A}/${service}/sepa-credit-transfers/${paymentId}`;
    const statusOf = async (service: string, paymentId: string) => (await tpp.request(`${pathOf(service, paymentId)}/status`)).json<{ transactionStatus: string }>().transactionStatus;
    const initiate = async (service: string, body: unknown) => {
      const created = await tpp.request(`${XS2A}/${service}/sepa-credit-transfers`, { body, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI, 'tpp-nok-redirect-uri': XS2A_NOK_REDIRECT_URI } });
      assert.equal(created.status, 201, created.text);
      assertMatchesSchema(created.json(), created201);
      return created.json<{ paymentId: string; transactionStatus: string; _links: Links }>();
    };
    /** A payment of `service` the PSU authorised, once the bank took it over (`settled`: the status it then reads). */
    const authorised = async (service: string, body: unknown, settled: string) => {
      const { paymentId, _links } = await initiate(service, body);
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      await waitFor(async () => (await statusOf(service, paymentId)) === settled, `payment ${paymentId} reads ${settled}`);
      return paymentId;
    };
    /** DELETE: 202 with startAuthorisation, then the cancellation SCA started: its id and redirect. */
    const cancellationStarted = async (service: string, paymentId: string, status: string) => {
      const deleted = await tpp.request(pathOf(service, paymentId), { method: 'DELETE' });
      assert.equal(deleted.status, 202, deleted.text);
      assertMatchesSchema(deleted.json(), cancel202);
      const self = new URL(pathOf(service, paymentId), app.base).toString();
      assert.deepEqual(deleted.json(), { transactionStatus: status, _links: { self: { href: self }, status: { href: `${self}/status` }, startAuthorisation: { href: `${self}/cancellation-authorisations` } } });
      assert.equal(await statusOf(service, paymentId), status, 'nothing changes before the PSU confirms');
      const started = await tpp.request(`${pathOf(service, paymentId)}/cancellation-authorisations`, { method: 'POST', headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI, 'tpp-nok-redirect-uri': XS2A_NOK_REDIRECT_URI } });
      assert.equal(started.status, 201, started.text);
      assertMatchesSchema(started.json(), startCancellation201);
      assert.equal(started.headers['aspsp-sca-approach'], 'REDIRECT');
      const body = started.json<{ authorisationId: string; scaStatus: string; _links: Links }>();
      assert.equal(body.scaStatus, 'received');
      assert.equal(new URL(body._links['scaStatus']!.href).pathname, `${pathOf(service, paymentId)}/cancellation-authorisations/${body.authorisationId}`);
      // The PSU who authorised the payment authenticates again: a code of theirs must be left.
      await untilOneTimeCodeUnused(psu.totpSecret);
      return { authorisationId: body.authorisationId, scaRedirect: body._links['scaRedirect']!.href };
    };
    const scaStatusOf = async (service: string, paymentId: string, authorisationId: string) => {
      const read = await tpp.request(`${pathOf(service, paymentId)}/cancellation-authorisations/${authorisationId}`);
      assert.equal(read.status, 200, read.text);
      assertMatchesSchema(read.json(), cancellationStatus200);
      return read.json<{ scaStatus: string }>().scaStatus;
    };
    const paymentRowOf = async (consentId: string) => app.portico.database.db.selectFrom('payments').select(['id', 'status']).where('consent_id', '=', consentId).orderBy('created_at').execute();

    it('a future-dated single payment: the SCA screen shows and binds its date; ACCP until its date, then executed by the payments scheduler', async () => {
      const date = dayAfter(3);
      const body = initiation(iban, { requestedExecutionDate: date });
      const { paymentId, transactionStatus, _links } = await initiate('payments', body);
      assert.equal(transactionStatus, 'RCVD');
      // The payment screen (after the password: the one-time code is entered on it) states the date.
      const agent = new PsuAgent(app);
      await agent.go(_links['scaRedirect']!.href);
      const screen = await agent.go(`${_links['scaRedirect']!.href}/login`, { username: psu.username, password: psu.password });
      const shown = new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
      assert.match(screen.text, new RegExp(`<dt>When</dt><dd>On ${shown}</dd>`));
      const binding = /name="binding" value="([^"]+)"/.exec(screen.text)![1]!;
      const account = /name="accounts" value="([^"]+)"[^>]*checked/.exec(screen.text)![1]!;
      await agent.go(`${_links['scaRedirect']!.href}/consent`, { decision: 'approve', binding, otp: await unusedOneTimeCode(psu.totpSecret), accounts: account });
      assert.equal(agent.location, XS2A_REDIRECT_URI);
      await waitFor(async () => (await statusOf('payments', paymentId)) === 'ACCP', `payment ${paymentId} accepted for its date`);
      const read = await tpp.request(pathOf('payments', paymentId));
      assertMatchesSchema(read.json(), readOk);
      assert.deepEqual(read.json(), { ...body, transactionStatus: 'ACCP' });
      assertMatchesSchema((await tpp.request(`${pathOf('payments', paymentId)}/status`)).json(), statusOk);
      // Its execution is the payments module's job, due on the date.
      const [payment] = await paymentRowOf(paymentId);
      const job = await app.portico.database.db.selectFrom('scheduled_jobs').select('run_at').where('dedupe_key', '=', `domestic-scheduled-payment:${payment!.id}`).executeTakeFirstOrThrow();
      assert.equal(new Date(job.run_at).toISOString(), `${date}T00:00:00.000Z`);
      await app.portico.scheduler.runDue(new Date(`${date}T00:00:01Z`));
      await waitFor(async () => (await statusOf('payments', paymentId)) === 'ACSC', `payment ${paymentId} executed on its date`);
      // Executed: no longer cancellable.
      const refused = await tpp.request(pathOf('payments', paymentId), { method: 'DELETE' });
      assert.equal(refused.status, 405, refused.text);
      assertMatchesSchema(refused.json(), cancel405);
      assert.equal(refused.json<TppMessages>().tppMessages[0]!.code, 'CANCELLATION_INVALID');
    });

    it('requestedExecutionDate in the past or beyond a year is 400 EXECUTION_DATE_INVALID', async () => {
      for (const date of [dayAfter(-1), dayAfter(400)]) {
        const refused = await tpp.request(`${XS2A}/payments/sepa-credit-transfers`, { body: initiation(iban, { requestedExecutionDate: date }), psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
        assert.equal(refused.status, 400, `${date}: ${refused.text}`);
        assertMatchesSchema(refused.json(), bgResponseSchema(PAYMENT, 'post', 400));
        assert.equal(refused.json<TppMessages>().tppMessages[0]!.code, 'EXECUTION_DATE_INVALID');
      }
    });

    it('cancelling an authorised future-dated payment: DELETE 202 → cancellation SCA → the PSU confirms → CANC, and its date passes with nothing paid', async () => {
      const date = dayAfter(5);
      const paymentId = await authorised('payments', initiation(iban, { requestedExecutionDate: date }), 'ACCP');
      const { authorisationId, scaRedirect } = await cancellationStarted('payments', paymentId, 'ACCP');
      const listed = await tpp.request(`${pathOf('payments', paymentId)}/cancellation-authorisations`);
      assertMatchesSchema(listed.json(), listCancellations200);
      assert.deepEqual(listed.json(), { authorisationIds: [authorisationId] });
      assert.deepEqual((await tpp.request(`${pathOf('payments', paymentId)}/authorisations`)).json<{ authorisationIds: string[] }>().authorisationIds.includes(authorisationId), false, 'the payment authorisations are listed apart');
      assert.equal(await scaStatusOf('payments', paymentId, authorisationId), 'received');
      assert.equal(await psuCompletesSca(app, scaRedirect, psu), XS2A_REDIRECT_URI);
      assert.equal(await scaStatusOf('payments', paymentId, authorisationId), 'finalised');
      assert.equal(await statusOf('payments', paymentId), 'CANC');
      await app.portico.scheduler.runDue(new Date(`${date}T00:00:01Z`));
      assert.deepEqual((await paymentRowOf(paymentId)).map((p) => p.status), ['cancelled']);
      assert.equal(await statusOf('payments', paymentId), 'CANC');
      const again = await tpp.request(pathOf('payments', paymentId), { method: 'DELETE' });
      assert.equal(again.status, 405, again.text);
      assert.equal(again.json<TppMessages>().tppMessages[0]!.code, 'CANCELLATION_INVALID');
    });

    it('stopping a set-up periodic payment: DELETE 202 → the PSU confirms → CANC, and no further instalment is made', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const paymentId = await authorised('periodic-payments', initiation(iban, { startDate: today, frequency: 'Daily' }), 'ACSP');
      const { authorisationId, scaRedirect } = await cancellationStarted('periodic-payments', paymentId, 'ACSP');
      assert.equal(await psuCompletesSca(app, scaRedirect, psu), XS2A_REDIRECT_URI);
      assert.equal(await scaStatusOf('periodic-payments', paymentId, authorisationId), 'finalised');
      assert.equal(await statusOf('periodic-payments', paymentId), 'CANC');
      const read = await tpp.request(pathOf('periodic-payments', paymentId));
      assert.equal(read.json<{ transactionStatus: string }>().transactionStatus, 'CANC');
      // Tomorrow's instalment falls due: the stopped order makes none.
      await app.portico.scheduler.runDue(new Date(Date.now() + 2 * DAY));
      assert.equal((await paymentRowOf(paymentId)).length, 1, 'only the first instalment, paid before the cancellation');
    });

    it('race lost by the cancellation: the date arrives while the PSU is confirming — the payment is executed, the approval fails the SCA', async () => {
      const date = dayAfter(8);
      const paymentId = await authorised('payments', initiation(iban, { requestedExecutionDate: date }), 'ACCP');
      const { authorisationId, scaRedirect } = await cancellationStarted('payments', paymentId, 'ACCP');
      const agent = new PsuAgent(app);
      await agent.go(scaRedirect);
      await agent.go(`${scaRedirect}/login`, { username: psu.username, password: psu.password });
      await agent.go(`${scaRedirect}/otp`, { otp: await unusedOneTimeCode(psu.totpSecret) });
      // The execution takes the payment first.
      await app.portico.scheduler.runDue(new Date(`${date}T00:00:01Z`));
      await waitFor(async () => (await statusOf('payments', paymentId)) === 'ACSC', `payment ${paymentId} executed`);
      await agent.go(`${scaRedirect}/consent`, { decision: 'approve' });
      assert.equal(agent.location, XS2A_NOK_REDIRECT_URI);
      assert.equal(await scaStatusOf('payments', paymentId, authorisationId), 'failed');
      assert.equal(await statusOf('payments', paymentId), 'ACSC');
    });

    it('a cancellation the PSU denies, or lets fail, leaves the payment as it is', async () => {
      const paymentId = await authorised('payments', initiation(iban, { requestedExecutionDate: dayAfter(2) }), 'ACCP');
      const { authorisationId, scaRedirect } = await cancellationStarted('payments', paymentId, 'ACCP');
      assert.equal(await psuCompletesSca(app, scaRedirect, psu, { decision: 'deny' }), XS2A_NOK_REDIRECT_URI);
      assert.equal(await scaStatusOf('payments', paymentId, authorisationId), 'failed');
      assert.equal(await statusOf('payments', paymentId), 'ACCP');
    });

    it('an immediate payment, once authorised, and a bulk payment are not cancellable: 405 CANCELLATION_INVALID on DELETE and on cancellation-authorisations', async () => {
      const paymentId = await authorised('payments', initiation(iban), 'ACSC');
      for (const [method, path, schema] of [['DELETE', pathOf('payments', paymentId), cancel405], ['POST', `${pathOf('payments', paymentId)}/cancellation-authorisations`, startCancellation405]] as const) {
        const refused = await tpp.request(path, { method, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
        assert.equal(refused.status, 405, `${method} ${path}: ${refused.text}`);
        assertMatchesSchema(refused.json(), schema);
        assert.equal(refused.json<TppMessages>().tppMessages[0]!.code, 'CANCELLATION_INVALID');
      }
    });

    it("attack: another TPP's paymentId on DELETE and on the cancellation-authorisations: 403 RESOURCE_UNKNOWN, nothing changes", async () => {
      const paymentId = await authorised('payments', initiation(iban, { requestedExecutionDate: dayAfter(4) }), 'ACCP');
      const { authorisationId } = await cancellationStarted('payments', paymentId, 'ACCP');
      const other = await Xs2aClient.onboard(app, 'Fremdzugriff GmbH');
      for (const [method, path] of [
        ['DELETE', pathOf('payments', paymentId)],
        ['POST', `${pathOf('payments', paymentId)}/cancellation-authorisations`],
        ['GET', `${pathOf('payments', paymentId)}/cancellation-authorisations`],
        ['GET', `${pathOf('payments', paymentId)}/cancellation-authorisations/${authorisationId}`],
      ] as const) {
        const refused = await other.request(path, { method, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
        assert.equal(refused.status, 403, `${method} ${path}: ${refused.text}`);
        assert.equal(refused.json<TppMessages>().tppMessages[0]!.code, 'RESOURCE_UNKNOWN');
      }
      assert.equal(await statusOf('payments', paymentId), 'ACCP');
      assert.deepEqual((await tpp.request(`${pathOf('payments', paymentId)}/cancellation-authorisations`)).json(), { authorisationIds: [authorisationId] });
    });

    it('attack: a cancellation authorised by another PSU is refused — the SCA fails, the payment stays', async () => {
      const paymentId = await authorised('payments', initiation(iban, { requestedExecutionDate: dayAfter(6) }), 'ACCP');
      const { authorisationId, scaRedirect } = await cancellationStarted('payments', paymentId, 'ACCP');
      // Another PSU, the one whose one-time codes are least used now, once one of its codes is free.
      const stranger = leastUsedPsu(psus.filter((candidate) => candidate.psu.username !== psu.username)).psu;
      await untilOneTimeCodeUnused(stranger.totpSecret);
      assert.equal(await psuCompletesSca(app, scaRedirect, stranger), XS2A_NOK_REDIRECT_URI);
      assert.equal(await scaStatusOf('payments', paymentId, authorisationId), 'failed');
      assert.equal(await statusOf('payments', paymentId), 'ACCP');
    });

    it('attack: replaying a cancellation SCA — its pages and its confirmation are refused once it ended, and a new one cannot start on a cancelled payment', async () => {
      const paymentId = await authorised('payments', initiation(iban, { requestedExecutionDate: dayAfter(7) }), 'ACCP');
      const { authorisationId, scaRedirect } = await cancellationStarted('payments', paymentId, 'ACCP');
      // The PSU's own browser: password, one-time code, then the confirmation, posted twice.
      const agent = new PsuAgent(app);
      await agent.go(scaRedirect);
      await agent.go(`${scaRedirect}/login`, { username: psu.username, password: psu.password });
      const confirmation = await agent.go(`${scaRedirect}/otp`, { otp: await unusedOneTimeCode(psu.totpSecret) });
      assert.match(confirmation.text, /Cancel a payment/);
      await agent.go(`${scaRedirect}/consent`, { decision: 'approve' });
      assert.equal(agent.location, XS2A_REDIRECT_URI);
      assert.equal(await statusOf('payments', paymentId), 'CANC');
      const replayed = await agent.go(`${scaRedirect}/consent`, { decision: 'approve' });
      assert.equal(replayed.status, 400);
      assert.equal((await new PsuAgent(app).go(scaRedirect)).status, 400, 'the ended SCA shows no page');
      assert.equal(await scaStatusOf('payments', paymentId, authorisationId), 'finalised');
      const restarted = await tpp.request(`${pathOf('payments', paymentId)}/cancellation-authorisations`, { method: 'POST', headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      assert.equal(restarted.status, 405, restarted.text);
      assert.deepEqual((await paymentRowOf(paymentId)).map((p) => p.status), ['cancelled']);
    });
  });
}
