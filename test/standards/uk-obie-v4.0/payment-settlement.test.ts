import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { JSONWebKeySet } from 'jose';
import { internalAccountId } from '../../../src/core/adapters/ledger/index.ts';
import { PaymentStatusChangedV2 } from '../../../src/modules/payments/index.ts';
import { DIALECTS } from '../../support/backends.ts';
import type { TestPortico } from '../../support/start-test-portico.ts';
import type { TppClient } from '../../support/tpp-client.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { SandboxPsuIdentity } from '../../support/ais-access.ts';
import { authorisedConsent, checkPisResponse, PISP, pisGet, pisPost, startPisFixture, submitDomesticPayment as submitPayment, sweepingVrpBody, sweepingVrpConsentBody, type ObCreditor, type ResponseCheck } from '../../support/pis-access.ts';

/**
 * ISO 20022 / OB v4.0 payment statuses of a payment leaving the bank, with the sandbox scheme set to
 * confirm settlement a day after a payment is sent (SANDBOX_SETTLEMENT_DELAY_MS): the TPP sees
 * PDNG, then ACSP once the debtor is debited and the payment is with the scheme, then ACSC when
 * the test's hand-driven scheduler pass stands in for the scheme's confirmation a day later. A
 * payment to a customer of this bank does not wait for the scheme: ACCC at once.
 */

const DAY = 86_400_000;
const EXTERNAL_CREDITOR = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '99999912345678', Name: 'Outside Bank Payee Ltd' };

interface ObStatusResponse {
  Data: { Status: string; StatusUpdateDateTime: string };
}
interface ObPaymentDetails {
  Data: { PaymentStatus: Array<{ PaymentTransactionId: string; Status: string; StatusDetail?: { Status: string } }> };
}

for (const dialect of DIALECTS) {
  describe(`OB v4.0 payments leaving the bank: AcceptedSettlementInProcess until the scheme settles them (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let alice: SandboxPsuIdentity;
    let aliceGbp: string;
    let bobCreditor: ObCreditor;
    let bankJwks: JSONWebKeySet;
    const db = () => app.portico.database.db;
    const clearing = internalAccountId('clearing', 'GBP');

    before(async () => {
      ({ app, tpp, alice, aliceGbp, bobCreditor, bankJwks } = await startPisFixture(dialect, { tpp: 'Settlement Watch Ltd', other: 'Other Settlement Ltd' }, { SANDBOX_SETTLEMENT_DELAY_MS: String(DAY) }));
    });
    after(async () => {
      await app?.close();
    });

    const balanceOf = async (accountId: string) => (await app.portico.core.getBalances(accountId))!.bookedMinor;
    const statusEventsOf = async (paymentId: string) =>
      (await db().selectFrom('outbox_events').select('payload').where('event_type', '=', PaymentStatusChangedV2.type).orderBy('seq').execute())
        .map((row) => row.payload as { paymentId: string; status: string })
        .filter((event) => event.paymentId === paymentId)
        .map((event) => event.status);

    /** The resource and its payment-details as the TPP reads them, each checked against the official file `api`. */
    async function read(api: 'payment-initiation' | 'vrp', resource: string): Promise<{ status: string; details: ObPaymentDetails['Data']['PaymentStatus'] }> {
      const check: ResponseCheck = (method, pathname, response) => checkPisResponse(api, bankJwks, method, pathname, response);
      const token = await tpp.clientCredentialsToken('payments');
      const response = await check('GET', `${PISP}${resource}`, await pisGet(tpp, resource, token));
      assert.equal(response.status, 200, response.text);
      const details = await check('GET', `${PISP}${resource}/payment-details`, await pisGet(tpp, `${resource}/payment-details`, token));
      assert.equal(details.status, 200, details.text);
      return { status: response.json<ObStatusResponse>().Data.Status, details: details.json<ObPaymentDetails>().Data.PaymentStatus };
    }

    /** Waits for the execution that follows a submission (PDNG over), and answers what the TPP then reads. */
    async function executed(api: 'payment-initiation' | 'vrp', resource: string) {
      let seen = await read(api, resource);
      await waitFor(async () => (seen = await read(api, resource)).status !== 'PDNG', `${resource} to be executed`);
      return seen;
    }

    /** The scheme's confirmation, due a day after the payment was sent: a scheduler pass at that time. */
    const schemeConfirms = () => app.portico.scheduler.runDue(new Date(Date.now() + DAY));

    const submitDomesticPayment = (amount: string, creditor: object): Promise<string> =>
      submitPayment(app, tpp, (method, pathname, response) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response), { psu: alice, accountId: aliceGbp, amount, creditor });

    it('a domestic payment to another bank reads ACSP once debited and sent to the scheme, ACSC once the scheme confirms settlement', async () => {
      const [aliceBefore, clearingBefore] = [await balanceOf(aliceGbp), await balanceOf(clearing)];
      const paymentId = await submitDomesticPayment('7.25', EXTERNAL_CREDITOR);
      const resource = `/domestic-payments/${paymentId}`;

      const sent = await executed('payment-initiation', resource);
      assert.equal(sent.status, 'ACSP');
      assert.deepEqual(
        sent.details.map((d) => [d.PaymentTransactionId, d.Status, d.StatusDetail?.Status]),
        [[paymentId, 'ACSP', 'ACSP']],
      );
      // The money has left the PSU's account for clearing already; nothing more moves on settlement.
      assert.equal(await balanceOf(aliceGbp), aliceBefore - 725n);
      assert.equal(await balanceOf(clearing), clearingBefore + 725n);
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'booked']);

      await schemeConfirms();
      const settled = await read('payment-initiation', resource);
      assert.equal(settled.status, 'ACSC');
      assert.deepEqual(
        settled.details.map((d) => [d.PaymentTransactionId, d.Status, d.StatusDetail?.Status]),
        [[paymentId, 'ACSC', 'ACSC']],
      );
      assert.equal(await balanceOf(aliceGbp), aliceBefore - 725n);
      assert.equal(await balanceOf(clearing), clearingBefore + 725n);

      // Another pass, later still: the status and its events are final, each emitted once.
      await app.portico.scheduler.runDue(new Date(Date.now() + 2 * DAY));
      assert.equal((await read('payment-initiation', resource)).status, 'ACSC');
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'booked', 'settled']);
    });

    it('a payment to a customer of this bank is credited at once (ACCC) and never waits for the scheme', async () => {
      const paymentId = await submitDomesticPayment('1.75', bobCreditor);
      const done = await executed('payment-initiation', `/domestic-payments/${paymentId}`);
      assert.equal(done.status, 'ACCC');
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'settled']);
      const jobs = await db().selectFrom('scheduled_jobs').select('id').where('dedupe_key', '=', `payment-settlement:${paymentId}`).execute();
      assert.deepEqual(jobs, [], 'nothing to confirm');
    });

    it('a domestic VRP to another bank goes the same way: ACSP, then ACSC', async () => {
      const checked: ResponseCheck = (method, pathname, response) => checkPisResponse('vrp', bankJwks, method, pathname, response);
      const consent = sweepingVrpConsentBody({ maxAmount: '100.00', period: 'Month', remittance: 'Sweep out' });
      const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/domestic-vrp-consents', body: consent, psu: alice, accountId: aliceGbp });
      const vrp = sweepingVrpBody(consentId, consent, { amount: '3.00', creditor: EXTERNAL_CREDITOR, remittance: 'Sweep 1' });
      const submitted = await checked('POST', `${PISP}/domestic-vrps`, await pisPost(tpp, '/domestic-vrps', { token: psuToken, body: JSON.stringify(vrp) }));
      assert.equal(submitted.status, 201, submitted.text);
      const vrpId = submitted.json<{ Data: { DomesticVRPId: string } }>().Data.DomesticVRPId;
      const resource = `/domestic-vrps/${vrpId}`;

      const sent = await executed('vrp', resource);
      assert.equal(sent.status, 'ACSP');
      assert.deepEqual(
        sent.details.map((d) => [d.PaymentTransactionId, d.Status]),
        [[vrpId, 'ACSP']],
      );
      await schemeConfirms();
      const settled = await read('vrp', resource);
      assert.equal(settled.status, 'ACSC');
      assert.deepEqual(
        settled.details.map((d) => [d.PaymentTransactionId, d.Status]),
        [[vrpId, 'ACSC']],
      );
      assert.deepEqual(await statusEventsOf(vrpId), ['pending', 'booked', 'settled']);
    });
  });
}
