import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { DIALECTS } from '../../support/backends.ts';
import type { TestPortico } from '../../support/start-test-portico.ts';
import type { TppClient } from '../../support/tpp-client.ts';
import type { HttpsResponse } from '../../support/https-client.ts';
import { assertObResponse } from '../../support/openapi.ts';
import { waitFor } from '../../support/wait-for.ts';
import { AISP, aisGet, grantAccountAccess, type SandboxPsuIdentity } from '../../support/ais-access.ts';
import { authorisedConsent, checkPisResponse, PISP, pisPost, startPisFixture, type ObCreditor } from '../../support/pis-access.ts';

interface ObAmount {
  Amount: string;
  Currency: string;
}
interface ObStandingOrder {
  AccountId: string;
  StandingOrderId: string;
  NextPaymentDateTime?: string;
  NextPaymentAmount?: ObAmount;
  LastPaymentDateTime?: string;
  LastPaymentAmount?: ObAmount;
  StandingOrderStatusCode: string;
  FirstPaymentAmount: ObAmount;
  FinalPaymentAmount?: ObAmount;
  CreditorAccount?: { SchemeName: string; Identification: string; Name?: string };
  MandateRelatedInformation: { Frequency: { Type: string }; RecurringPaymentDateTime: string; FinalPaymentDateTime?: string };
  RemittanceInformation?: unknown;
}
interface ObScheduledPayment {
  AccountId: string;
  ScheduledPaymentId: string;
  ScheduledPaymentDateTime: string;
  ScheduledType: string;
  Reference?: string;
  InstructedAmount: ObAmount;
  CreditorAccount?: { SchemeName: string; Identification: string; Name?: string };
}

const DAY = 86_400_000;
/** OB date-times as a TPP writes them (second precision, offset). */
const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
const gbp = (Amount: string) => ({ Amount, Currency: 'GBP' });

/**
 * Standing orders and scheduled payments set up through PIS are the payer's: AIS lists them on the
 * debtor account (read from the core, where the submission records them in its own transaction),
 * follows a standing order's last and next payments as its instalments run, and drops a scheduled
 * payment once it has been executed. Every AIS response is checked against the official
 * account-info v4.0 file.
 */
for (const dialect of DIALECTS) {
  describe(`PIS standing orders and scheduled payments in AIS (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let alice: SandboxPsuIdentity;
    let aliceGbp: string;
    let bobCreditor: ObCreditor;
    let bankJwks: JSONWebKeySet;
    let aisToken: string;
    let accountRef: string;

    before(async () => {
      ({ app, tpp, alice, aliceGbp, bobCreditor, bankJwks } = await startPisFixture(dialect, { tpp: 'Orders Ltd', other: 'Other Orders Ltd' }));
      // The TPP's AIS view of Alice's GBP account: standing orders and scheduled payments with their payees.
      aisToken = (await grantAccountAccess(app, tpp, alice, { permissions: ['ReadAccountsBasic', 'ReadStandingOrdersDetail', 'ReadScheduledPaymentsDetail'], accountIds: [aliceGbp] })).token;
      accountRef = (await ais(`${AISP}/accounts`)).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account[0]!.AccountId;
    });
    after(async () => {
      await app?.close();
    });

    async function ais(pathname: string): Promise<HttpsResponse> {
      const response = await aisGet(tpp, aisToken, pathname);
      assert.equal(response.status, 200, response.text);
      assertObResponse('account-info', 'GET', pathname, response);
      return response;
    }
    const standingOrders = async () => (await ais(`${AISP}/accounts/${accountRef}/standing-orders`)).json<{ Data: { StandingOrder: ObStandingOrder[] } }>().Data.StandingOrder;
    const scheduledPayments = async () => (await ais(`${AISP}/accounts/${accountRef}/scheduled-payments`)).json<{ Data: { ScheduledPayment: ObScheduledPayment[] } }>().Data.ScheduledPayment;
    const checked = (method: string, pathname: string, response: HttpsResponse) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response);
    const creditorAccount = () => ({ SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: bobCreditor.Identification, Name: 'Bob' });

    /** Polls the AIS list until `check` holds: the core's event invalidates the account's cached reads asynchronously (outbox). */
    async function aisUntil<T>(read: () => Promise<T[]>, check: (items: T[]) => boolean, what: string): Promise<T[]> {
      let items: T[] = [];
      await waitFor(async () => check((items = await read())), what);
      return items;
    }

    it('a PIS standing order is listed on the debtor account, its last and next payments following the instalments', async () => {
      const before = await standingOrders();
      const first = new Date(Date.now() + 2 * DAY);
      const firstAt = new Date(Date.parse(iso(first)));
      const body = {
        Data: {
          Permission: 'Create',
          Initiation: {
            NumberOfPayments: '3',
            FirstPaymentAmount: gbp('1.00'),
            RecurringPaymentAmount: gbp('2.00'),
            FinalPaymentAmount: gbp('3.00'),
            CreditorAccount: bobCreditor,
            RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: 'POCKET-MONEY' } }] },
            MandateRelatedInformation: { FirstPaymentDateTime: iso(first), Frequency: { Type: 'EvryDay' } },
          },
        },
        Risk: { PaymentContextCode: 'TransferToThirdParty' },
      };
      const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/domestic-standing-order-consents', body, psu: alice, accountId: aliceGbp });
      const submitted = await checked('POST', `${PISP}/domestic-standing-orders`, await pisPost(tpp, '/domestic-standing-orders', { token: psuToken, body: JSON.stringify({ Data: { ConsentId: consentId, Initiation: body.Data.Initiation }, Risk: body.Risk }) }));
      assert.equal(submitted.status, 201, submitted.text);
      const orderId = submitted.json<{ Data: { DomesticStandingOrderId: string } }>().Data.DomesticStandingOrderId;
      assert.equal(before.filter((o) => o.StandingOrderId === orderId).length, 0);

      const at = (n: number) => new Date(firstAt.getTime() + n * DAY).toISOString();
      const expected = (progress: Partial<ObStandingOrder>): ObStandingOrder => ({
        AccountId: accountRef,
        StandingOrderId: orderId,
        ...progress,
        StandingOrderStatusCode: progress.NextPaymentDateTime ? 'ACTV' : 'CANC',
        FirstPaymentAmount: gbp('1.00'),
        FinalPaymentAmount: gbp('3.00'),
        CreditorAccount: creditorAccount(),
        MandateRelatedInformation: { Frequency: { Type: 'DAIL' }, RecurringPaymentDateTime: at(0), FinalPaymentDateTime: at(2) },
        RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: 'POCKET-MONEY' } }] },
      });
      // With `clock`, a worker polls at that time until AIS shows the progress: the instalment, its
      // payment's execution and the order's record on the account are each a job due then.
      const listed = async (what: string, progress: Partial<ObStandingOrder>, clock?: Date) => {
        const want = expected(progress);
        const read = async () => {
          if (clock) await app.portico.scheduler.runDue(clock);
          return standingOrders();
        };
        const orders = await aisUntil(read, (items) => items.some((o) => o.StandingOrderId === orderId && o.NextPaymentDateTime === want.NextPaymentDateTime && o.LastPaymentDateTime === want.LastPaymentDateTime), what);
        assert.deepEqual(orders.find((o) => o.StandingOrderId === orderId), want);
        assert.equal(orders.length, before.length + 1, 'listed once, beside the account’s other standing orders');
      };

      await listed('AIS to list the new standing order', { NextPaymentDateTime: at(0), NextPaymentAmount: gbp('1.00') });
      await listed('AIS to show the first instalment paid', { NextPaymentDateTime: at(1), NextPaymentAmount: gbp('2.00'), LastPaymentDateTime: at(0), LastPaymentAmount: gbp('1.00') }, new Date(firstAt.getTime() + 1000));
      await listed('AIS to show the second instalment paid', { NextPaymentDateTime: at(2), NextPaymentAmount: gbp('3.00'), LastPaymentDateTime: at(1), LastPaymentAmount: gbp('2.00') }, new Date(firstAt.getTime() + DAY + 1000));
      await listed('AIS to show the order run out', { LastPaymentDateTime: at(2), LastPaymentAmount: gbp('3.00') }, new Date(firstAt.getTime() + 10 * DAY));
    });

    it('a PIS scheduled payment is listed on the debtor account until it is executed, then it is gone', async () => {
      const executeAt = new Date(Date.now() + 3 * DAY);
      const body = {
        Data: {
          Permission: 'Create',
          Initiation: {
            InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
            LocalInstrument: 'UK.OBIE.FPS',
            RequestedExecutionDateTime: iso(executeAt),
            InstructedAmount: gbp('45.67'),
            CreditorAccount: bobCreditor,
            RemittanceInformation: { Unstructured: ['Rent'], Structured: [{ CreditorReferenceInformation: { Reference: 'RENT-MARCH' } }] },
          },
        },
        Risk: { PaymentContextCode: 'TransferToThirdParty' },
      };
      const before = await scheduledPayments();
      const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/domestic-scheduled-payment-consents', body, psu: alice, accountId: aliceGbp });
      const submitted = await checked('POST', `${PISP}/domestic-scheduled-payments`, await pisPost(tpp, '/domestic-scheduled-payments', { token: psuToken, body: JSON.stringify({ Data: { ConsentId: consentId, Initiation: body.Data.Initiation }, Risk: body.Risk }) }));
      assert.equal(submitted.status, 201, submitted.text);
      const paymentId = submitted.json<{ Data: { DomesticScheduledPaymentId: string } }>().Data.DomesticScheduledPaymentId;

      const listed = await aisUntil(scheduledPayments, (items) => items.some((p) => p.ScheduledPaymentId === paymentId), 'AIS to list the scheduled payment');
      assert.deepEqual(listed.find((p) => p.ScheduledPaymentId === paymentId), {
        AccountId: accountRef,
        ScheduledPaymentId: paymentId,
        ScheduledPaymentDateTime: new Date(Date.parse(iso(executeAt))).toISOString(),
        ScheduledType: 'Execution',
        Reference: 'RENT-MARCH',
        InstructedAmount: gbp('45.67'),
        CreditorAccount: creditorAccount(),
      });
      assert.equal(listed.length, before.length + 1);

      // Not before its date; on its date it runs, and the account no longer lists it.
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() - 60_000));
      assert.equal((await scheduledPayments()).filter((p) => p.ScheduledPaymentId === paymentId).length, 1);
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() + 1000));
      const after = await aisUntil(scheduledPayments, (items) => !items.some((p) => p.ScheduledPaymentId === paymentId), 'AIS to drop the executed scheduled payment');
      assert.deepEqual(after, before);
      const row = await app.portico.database.db.selectFrom('bank_scheduled_payments').select(['status', 'account_id']).where('id', '=', paymentId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'Executed', account_id: aliceGbp });
    });

    it('international ones too: a scheduled payment in EUR and a standing order are listed on the GBP account as instructed', async () => {
      const abroad = { SchemeName: 'UK.OBIE.IBAN', Identification: 'DE89370400440532013000', Name: 'Empfänger GmbH' };
      const executeAt = new Date(Date.now() + 3 * DAY);
      const scheduledBody = {
        Data: {
          Permission: 'Create',
          Initiation: {
            InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
            RequestedExecutionDateTime: iso(executeAt),
            CurrencyOfTransfer: 'EUR',
            InstructedAmount: { Amount: '120.00', Currency: 'EUR' },
            CreditorAccount: abroad,
            RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: 'INV-204' } }] },
          },
        },
        Risk: { PaymentContextCode: 'TransferToThirdParty' },
      };
      const scheduled = await authorisedConsent(app, tpp, checked, { path: '/international-scheduled-payment-consents', body: scheduledBody, psu: alice, accountId: aliceGbp });
      const submittedPayment = await checked(
        'POST',
        `${PISP}/international-scheduled-payments`,
        await pisPost(tpp, '/international-scheduled-payments', { token: scheduled.psuToken, body: JSON.stringify({ Data: { ConsentId: scheduled.consentId, Initiation: scheduledBody.Data.Initiation }, Risk: scheduledBody.Risk }) }),
      );
      assert.equal(submittedPayment.status, 201, submittedPayment.text);
      const paymentId = submittedPayment.json<{ Data: { InternationalScheduledPaymentId: string } }>().Data.InternationalScheduledPaymentId;
      const payments = await aisUntil(scheduledPayments, (items) => items.some((p) => p.ScheduledPaymentId === paymentId), 'AIS to list the international scheduled payment');
      assert.deepEqual(payments.find((p) => p.ScheduledPaymentId === paymentId), {
        AccountId: accountRef,
        ScheduledPaymentId: paymentId,
        ScheduledPaymentDateTime: new Date(Date.parse(iso(executeAt))).toISOString(),
        ScheduledType: 'Execution',
        Reference: 'INV-204',
        InstructedAmount: { Amount: '120.00', Currency: 'EUR' },
        CreditorAccount: abroad,
      });
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() + 1000));
      await aisUntil(scheduledPayments, (items) => !items.some((p) => p.ScheduledPaymentId === paymentId), 'AIS to drop the executed international scheduled payment');

      const first = new Date(Date.now() + 2 * DAY);
      const orderBody = {
        Data: {
          Permission: 'Create',
          Initiation: {
            NumberOfPayments: '2',
            CurrencyOfTransfer: 'EUR',
            InstructedAmount: { Amount: '10.00', Currency: 'EUR' },
            CreditorAccount: abroad,
            MandateRelatedInformation: { FirstPaymentDateTime: iso(first), Frequency: { Type: 'EvryDay' } },
          },
        },
        Risk: { PaymentContextCode: 'TransferToThirdParty' },
      };
      const order = await authorisedConsent(app, tpp, checked, { path: '/international-standing-order-consents', body: orderBody, psu: alice, accountId: aliceGbp });
      const submittedOrder = await checked(
        'POST',
        `${PISP}/international-standing-orders`,
        await pisPost(tpp, '/international-standing-orders', { token: order.psuToken, body: JSON.stringify({ Data: { ConsentId: order.consentId, Initiation: orderBody.Data.Initiation }, Risk: orderBody.Risk }) }),
      );
      assert.equal(submittedOrder.status, 201, submittedOrder.text);
      const orderId = submittedOrder.json<{ Data: { InternationalStandingOrderId: string } }>().Data.InternationalStandingOrderId;
      const orders = await aisUntil(standingOrders, (items) => items.some((o) => o.StandingOrderId === orderId), 'AIS to list the international standing order');
      const listed = orders.find((o) => o.StandingOrderId === orderId)!;
      assert.equal(listed.StandingOrderStatusCode, 'ACTV');
      assert.deepEqual(listed.NextPaymentAmount, { Amount: '10.00', Currency: 'EUR' });
      assert.equal(listed.NextPaymentDateTime, new Date(Date.parse(iso(first))).toISOString());
      assert.deepEqual(listed.CreditorAccount, abroad);
    });
  });
}
