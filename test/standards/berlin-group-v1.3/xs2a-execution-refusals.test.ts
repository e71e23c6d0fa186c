import { describe, it, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { clientIdOfOrganisation } from '../../../src/modules/clients/index.ts';
import { PaymentErrors, type PaymentsApi } from '../../../src/modules/payments/index.ts';
import { AppError, DependencyUnavailableError } from '../../../src/platform/errors/index.ts';
import { DIALECTS, TEST_NATS_URL, uniqueName } from '../../support/backends.ts';
import { deleteTestStreams } from '../../support/nats-cleanup.ts';
import { assertMatchesSchema, bgResponseSchema, bgSchema } from '../../support/openapi.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { waitFor } from '../../support/wait-for.ts';
import { leastUsedPsu, psuCompletesSca, psusWithIban, XS2A, XS2A_REDIRECT_URI, Xs2aClient, type SandboxPsu } from '../../support/xs2a-client.ts';

const PAYMENT = '/v1/{payment-service}/{payment-product}';
const statusOk = bgResponseSchema(`${PAYMENT}/{paymentId}/status`, 'get', 200);
const readOk = bgResponseSchema(`${PAYMENT}/{paymentId}`, 'get', 200);
/** The consumer that executes XS2A payments once authorised (its name in the inbox). */
const CONSUMER = 'xs2a-execute-authorised-payments';
const DEBTOR_REFUSED = new AppError(PaymentErrors.DEBTOR_ACCOUNT_UNKNOWN);

interface Links { [name: string]: { href: string } }

type Submission = 'submitDomesticPayment' | 'submitDomesticStandingOrder';

const initiation = (debtorIban: string, amount = '2.50') => ({
  endToEndIdentification: `e2e-${randomUUID().slice(0, 8)}`,
  debtorAccount: { iban: debtorIban },
  instructedAmount: { currency: 'EUR', amount },
  creditorAccount: { iban: 'DE89370400440532013000' },
  creditorName: 'Bäckerei Müller',
  remittanceInformationUnstructured: 'Invoice 4711',
});

/**
 * A payment the PSU authorised is executed by a consumer of the consent's authorisation event. A
 * submission the payments module refuses for good (here: the debtor account it can no longer
 * debit) must end the payment RJCT with the reason and acknowledge the event; before, the event was
 * handed back and redelivered for ever while the payment read ACTC. A failure that may pass (the
 * core out of reach) is still retried. On PostgreSQL the bus is NATS JetStream.
 *
 * The consumer submits at once after the SCA, so no refusal of the built-in ledger can be brought
 * about in between from outside: the payments module's submission is wrapped to answer as it would.
 */
for (const dialect of DIALECTS) {
  describe(`XS2A execution of authorised payments: refusals and retries (${dialect}${dialect === 'postgres' ? ', NATS JetStream' : ''})`, () => {
    const namespace = uniqueName('xs2a_refusals');
    let app: TestPortico;
    let tpp: Xs2aClient;
    let psus: Array<{ psu: SandboxPsu; iban: string }>;
    let payments: PaymentsApi;
    const original: Partial<Record<Submission, unknown>> = {};
    const calls: Record<Submission, number> = { submitDomesticPayment: 0, submitDomesticStandingOrder: 0 };

    before(async () => {
      app = await startTestPortico(dialect, dialect === 'postgres' ? { NATS_URL: TEST_NATS_URL, NATS_NAMESPACE: namespace } : {}, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, 'Zahlfix GmbH');
      psus = await psusWithIban(app);
      payments = app.portico.payments;
      for (const name of Object.keys(calls) as Submission[]) original[name] = payments[name];
    });
    after(async () => {
      await app?.close();
      if (dialect === 'postgres') await deleteTestStreams(namespace);
    });
    beforeEach(() => {
      for (const name of Object.keys(calls) as Submission[]) calls[name] = 0;
    });
    afterEach(() => {
      for (const name of Object.keys(calls) as Submission[]) Object.assign(payments, { [name]: original[name] });
    });

    /** The payments module's submission answers with `answer` (a refusal to throw, or undefined to submit as usual) and is counted. */
    const submissionAnswers = (name: Submission, answer: (call: number) => Error | undefined) => {
      const submit = original[name] as (...args: unknown[]) => Promise<unknown>;
      Object.assign(payments, {
        [name]: async (...args: unknown[]) => {
          const refusal = answer(++calls[name]);
          if (refusal) throw refusal;
          return submit(...args);
        },
      });
    };

    /** Initiates a payment of `service`, and the PSU authorises it. */
    const authorisedPayment = async (service: 'payments' | 'periodic-payments', body: Record<string, unknown>, psu: SandboxPsu) => {
      const created = await tpp.request(`${XS2A}/${service}/sepa-credit-transfers`, { body, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      assert.equal(created.status, 201, created.text);
      const { paymentId, _links } = created.json<{ paymentId: string; _links: Links }>();
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      return { paymentId, path: `${XS2A}/${service}/sepa-credit-transfers/${paymentId}` };
    };
    const statusOf = async (path: string) => (await tpp.request(`${path}/status`)).json<{ transactionStatus: string; tppMessages?: unknown[] }>();

    /** Whether the consumer's inbox holds the event of the consent's authorisation: the consumer applied it and is done with it. */
    const authorisationApplied = async (consentId: string) => {
      const { rows } = await sql<{ id: string }>`
        SELECT processed_events.event_id AS id FROM processed_events
        JOIN outbox_events ON outbox_events.id = processed_events.event_id
        WHERE processed_events.consumer = ${CONSUMER} AND outbox_events.aggregate_id = ${consentId}
          AND outbox_events.event_type = 'ConsentStatusChanged' AND outbox_events.payload->>'status' = 'authorised'`.execute(app.portico.database.db);
      return rows.length === 1;
    };

    it('regression: a single payment refused for good once authorised reads RJCT with the reason, and its event is applied once, not redelivered', async () => {
      const { psu, iban } = leastUsedPsu(psus);
      submissionAnswers('submitDomesticPayment', () => DEBTOR_REFUSED);
      const body = initiation(iban);
      const { paymentId, path } = await authorisedPayment('payments', body, psu);
      await waitFor(async () => (await statusOf(path)).transactionStatus === 'RJCT', `payment ${paymentId} rejected (it read ACTC while its event was redelivered)`);
      await waitFor(() => authorisationApplied(paymentId), "the authorisation event in the consumer's inbox");
      assert.equal(calls.submitDomesticPayment, 1, 'submitted once: the event was acknowledged, not handed back');

      const status = await tpp.request(`${path}/status`);
      assert.equal(status.status, 200, status.text);
      assertMatchesSchema(status.json(), statusOk);
      const refusal = { category: 'ERROR', code: 'PAYMENT_FAILED', text: PaymentErrors.DEBTOR_ACCOUNT_UNKNOWN.message };
      assert.deepEqual(status.json(), { transactionStatus: 'RJCT', tppMessages: [refusal] });
      const read = await tpp.request(path);
      assertMatchesSchema(read.json(), readOk);
      assert.deepEqual(read.json(), { ...body, transactionStatus: 'RJCT', tppMessages: [refusal] });
      // Nothing was paid under it: the payment never existed.
      assert.equal(await payments.findPaymentOfConsent(paymentId, clientIdOfOrganisation(tpp.tpp.organisationId)), undefined);
    });

    it('a periodic payment refused for good once authorised reads RJCT with the reason; its order is never set up', async () => {
      const { psu, iban } = leastUsedPsu(psus);
      submissionAnswers('submitDomesticStandingOrder', () => DEBTOR_REFUSED);
      const body = { ...initiation(iban, '5.00'), startDate: '2099-01-01', frequency: 'Monthly' };
      const { paymentId, path } = await authorisedPayment('periodic-payments', body, psu);
      await waitFor(async () => (await statusOf(path)).transactionStatus === 'RJCT', `periodic payment ${paymentId} rejected`);
      await waitFor(() => authorisationApplied(paymentId), "the authorisation event in the consumer's inbox");
      assert.equal(calls.submitDomesticStandingOrder, 1);
      const read = await tpp.request(path);
      assertMatchesSchema(read.json(), bgSchema('periodicPaymentInitiationWithStatusResponse'));
      assert.deepEqual(read.json(), { ...body, transactionStatus: 'RJCT', tppMessages: [{ category: 'ERROR', code: 'PAYMENT_FAILED', text: PaymentErrors.DEBTOR_ACCOUNT_UNKNOWN.message }] });
      assert.equal(await payments.findStandingOrderOfConsent(paymentId, clientIdOfOrganisation(tpp.tpp.organisationId)), undefined);
    });

    it('a submission that fails while the core is out of reach is retried until it goes through: the payment settles (ACSC)', async () => {
      const { psu, iban } = leastUsedPsu(psus);
      submissionAnswers('submitDomesticPayment', (call) => (call <= 2 ? new DependencyUnavailableError('the core is unavailable: connection refused', 100) : undefined));
      const { paymentId, path } = await authorisedPayment('payments', initiation(iban), psu);
      await waitFor(async () => (await statusOf(path)).transactionStatus === 'ACSC', `payment ${paymentId} settled after the core came back`);
      assert.ok(calls.submitDomesticPayment >= 3, `submitted ${calls.submitDomesticPayment} times`);
      assert.deepEqual(await statusOf(path), { transactionStatus: 'ACSC' });
    });

    it('a payment the core refuses for insufficient funds reads RJCT with FUNDS_NOT_AVAILABLE', async () => {
      const { psu, iban } = leastUsedPsu(psus);
      const { paymentId, path } = await authorisedPayment('payments', initiation(iban, '99999999.00'), psu);
      await waitFor(async () => (await statusOf(path)).transactionStatus === 'RJCT', `payment ${paymentId} rejected`);
      const status = await tpp.request(`${path}/status`);
      assertMatchesSchema(status.json(), statusOk);
      assert.deepEqual(status.json(), { transactionStatus: 'RJCT', tppMessages: [{ category: 'ERROR', code: 'FUNDS_NOT_AVAILABLE', text: 'Insufficient funds in the debtor account' }] });
    });
  });
}
