import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { assertMatchesSchema, bgResponseSchema, bgSchema } from '../../support/openapi.ts';
import { waitFor } from '../../support/wait-for.ts';
import { DOMParser } from '@xmldom/xmldom';
import { pain001Document, type Pain001Transfer } from '../../support/pain001-document.ts';
import { psuCompletesSca, psusWithIban, XS2A, XS2A_REDIRECT_URI, Xs2aClient, leastUsedPsu, type SandboxPsu } from '../../support/xs2a-client.ts';

const PAYMENT = '/v1/{payment-service}/{payment-product}';
const CREDITOR_IBAN = 'DE89370400440532013000';
const PERIODIC = `${XS2A}/periodic-payments/sepa-credit-transfers`;
type TppMessages = { tppMessages: Array<{ code: string; path?: string }> };
interface Links { [name: string]: { href: string } }

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const todayMs = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
const TODAY = isoDay(todayMs);
const TOMORROW = isoDay(todayMs + DAY);
/** Today and tomorrow are the bank's days off in this suite (besides weekends), whatever day it runs on. */
const HOLIDAYS = [TODAY, TOMORROW];
/** The first day from `fromMs` on that is neither a weekend nor one of HOLIDAYS, counted here apart from the bank's calendar. */
function businessDayFrom(fromMs: number, step: 1 | -1): string {
  let at = fromMs;
  while ([0, 6].includes(new Date(at).getUTCDay()) || HOLIDAYS.includes(isoDay(at))) at += step * DAY;
  return isoDay(at);
}

const periodic = (debtorIban: string, schedule: Record<string, unknown>) => ({
  endToEndIdentification: `e2e-${randomUUID().slice(0, 8)}`,
  debtorAccount: { iban: debtorIban },
  instructedAmount: { currency: 'EUR', amount: '7.50' },
  creditorAccount: { iban: CREDITOR_IBAN },
  creditorName: 'Hausverwaltung Nord',
  remittanceInformationUnstructured: 'Miete',
  ...schedule,
});

const transfer = (amount: string): Pain001Transfer => ({ endToEndId: `E2E-${randomUUID().slice(0, 8)}`, amount, creditorName: 'Hausverwaltung Nord', creditorIban: CREDITOR_IBAN, remittance: 'Miete' });

/** A `periodicPaymentInitiationMultipartBody` as a TPP sends it: the pain.001 part, then the standing order's. */
function multipart(parts: Array<[string, string, string]>, boundary = `----xs2a-${randomUUID()}`): { body: string; contentType: string } {
  const body = parts.map(([name, type, content]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n`).join('') + `--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
const periodicParts = (xml: string, standingOrder: unknown): Array<[string, string, string]> => [
  ['xml_sct', 'application/xml', xml],
  ['json_standingorderType', 'application/json', JSON.stringify(standingOrder)],
];

for (const dialect of DIALECTS) {
  describe(`Berlin Group periodic payments: executionRule and MonthlyVariable (${dialect})`, () => {
    let app: TestPortico;
    let tpp: Xs2aClient;
    let psus: Array<{ psu: SandboxPsu; iban: string }>;
    let psu: SandboxPsu;
    let iban: string;

    before(async () => {
      app = await startTestPortico(dialect, { PAYMENT_HOLIDAYS: HOLIDAYS.join(',') }, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, 'Dauerauftrag GmbH');
      psus = await psusWithIban(app);
    });
    after(async () => {
      await app?.close();
    });
    beforeEach(() => {
      ({ psu, iban } = leastUsedPsu(psus));
    });

    const initiate = (body: unknown) => tpp.request(PERIODIC, { body, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
    const statusOf = async (paymentId: string) => (await tpp.request(`${PERIODIC}/${paymentId}/status`)).json<{ transactionStatus: string }>().transactionStatus;
    const db = () => app.portico.database.db;
    /** The standing order the payment set up, once it is. */
    const orderOf = async (paymentId: string) => {
      await waitFor(async () => (await db().selectFrom('standing_orders').select('id').where('consent_id', '=', paymentId).executeTakeFirst()) !== undefined, `order of ${paymentId}`);
      return (await db().selectFrom('standing_orders').select(['id', 'business_day_rule', 'frequency', 'first_payment_at']).where('consent_id', '=', paymentId).executeTakeFirstOrThrow());
    };
    const firstInstalmentJob = async (orderId: string) =>
      db().selectFrom('scheduled_jobs').select(['run_at', 'payload', 'status']).where('dedupe_key', '=', `standing-order:${orderId}:1`).executeTakeFirstOrThrow();
    /** Initiates, has the PSU authorise, and returns the payment's id. */
    const authorised = async (body: unknown) => {
      const created = await initiate(body);
      assert.equal(created.status, 201, created.text);
      assertMatchesSchema(created.json(), bgResponseSchema(PAYMENT, 'post', 201));
      const { paymentId, _links } = created.json<{ paymentId: string; _links: Links }>();
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      return paymentId;
    };

    it('executionRule preceding: an instalment due on a bank holiday is paid on the business day before — here already past, so at once (ACSP)', async () => {
      const body = periodic(iban, { startDate: TOMORROW, frequency: 'Monthly', executionRule: 'preceding' });
      const paymentId = await authorised(body);
      await waitFor(async () => (await statusOf(paymentId)) === 'ACSP', `periodic payment ${paymentId} paid its first instalment`);
      const order = await orderOf(paymentId);
      assert.equal(order.business_day_rule, 'preceding');
      // Due tomorrow (the rhythm's date, that the next one is counted from), run before it.
      const instalment = await db().selectFrom('standing_order_instalments').select(['due_at']).where('standing_order_id', '=', order.id).executeTakeFirstOrThrow();
      assert.equal(new Date(instalment.due_at).toISOString(), `${TOMORROW}T00:00:00.000Z`);
      assert.equal(isoDay(new Date((await firstInstalmentJob(order.id)).run_at).getTime()), businessDayFrom(todayMs + DAY, -1));
      const read = await tpp.request(`${PERIODIC}/${paymentId}`);
      assertMatchesSchema(read.json(), bgSchema('periodicPaymentInitiationWithStatusResponse'));
      assert.deepEqual(read.json(), { ...body, transactionStatus: 'ACSP' });
    });

    it('executionRule following: starting today, a bank holiday, the first instalment waits for the next business day (ACTC until then)', async () => {
      const body = periodic(iban, { startDate: TODAY, frequency: 'Weekly', executionRule: 'following' });
      const paymentId = await authorised(body);
      const order = await orderOf(paymentId);
      assert.equal(order.business_day_rule, 'following');
      const job = await firstInstalmentJob(order.id);
      assert.equal(job.status, 'pending');
      assert.equal(isoDay(new Date(job.run_at).getTime()), businessDayFrom(todayMs, 1));
      assert.equal((job.payload as { dueAt?: string }).dueAt?.slice(0, 10), TODAY);
      assert.equal(await statusOf(paymentId), 'ACTC');
      assertMatchesSchema((await tpp.request(`${PERIODIC}/${paymentId}/status`)).json(), bgResponseSchema(`${PAYMENT}/{paymentId}/status`, 'get', 200));
    });

    it('MonthlyVariable: the day of execution in each listed month, the first on or after startDate; 31 is the month end', async () => {
      const nextMonth = new Date(todayMs);
      nextMonth.setUTCDate(1);
      nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1);
      const month = nextMonth.getUTCMonth() + 1;
      const otherMonth = ((month + 5) % 12) + 1;
      const body = periodic(iban, { startDate: TODAY, frequency: 'MonthlyVariable', monthsOfExecution: [String(otherMonth), String(month)], dayOfExecution: '31' });
      const paymentId = await authorised(body);
      const order = await orderOf(paymentId);
      const two = (n: number) => String(n).padStart(2, '0');
      assert.equal(order.frequency, `MnthsInYrDay:${[month, otherMonth].sort((a, b) => a - b).map(two).join(',')}:31`);
      const monthEnd = new Date(Date.UTC(nextMonth.getUTCFullYear(), month, 0));
      assert.equal(new Date(order.first_payment_at).toISOString(), monthEnd.toISOString());
      assert.equal(new Date((await firstInstalmentJob(order.id)).run_at).toISOString(), monthEnd.toISOString());
      assert.equal(await statusOf(paymentId), 'ACTC');
      const read = await tpp.request(`${PERIODIC}/${paymentId}`);
      assertMatchesSchema(read.json(), bgSchema('periodicPaymentInitiationWithStatusResponse'));
      assert.deepEqual(read.json(), { ...body, transactionStatus: 'ACTC' });
    });

    const PAIN001_PERIODIC = `${XS2A}/periodic-payments/pain.001-sepa-credit-transfers`;
    const initiateMultipart = ({ body, contentType }: { body: string; contentType: string }, sign = false) =>
      tpp.request(PAIN001_PERIODIC, { xml: body, sign, psuPresent: true, headers: { 'content-type': contentType, 'tpp-redirect-uri': XS2A_REDIRECT_URI } });

    it('pain.001 periodic payment as multipart/form-data (xml_sct, json_standingorderType), signed: SCA → its standing order pays its first instalment (ACSP); echoed as sent; status also as pain.002', async () => {
      const xml = pain001Document({ version: 'pain.001.001.09', debtorIban: iban, transfers: [transfer('9.90')] });
      const request = multipart(periodicParts(xml, { startDate: TODAY, frequency: 'Monthly', dayOfExecution: String(new Date(todayMs).getUTCDate()) }));
      const created = await initiateMultipart(request, true);
      assert.equal(created.status, 201, created.text);
      assertMatchesSchema(created.json(), bgResponseSchema(PAYMENT, 'post', 201));
      const { paymentId, _links } = created.json<{ paymentId: string; _links: Links }>();
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      const status = async () => (await tpp.request(`${PAIN001_PERIODIC}/${paymentId}/status`)).json<{ transactionStatus: string }>().transactionStatus;
      await waitFor(async () => (await status()) === 'ACSP', `periodic payment ${paymentId} set up`);
      assertMatchesSchema((await tpp.request(`${PAIN001_PERIODIC}/${paymentId}/status`)).json(), bgResponseSchema(`${PAYMENT}/{paymentId}/status`, 'get', 200));
      // The order is the pain.001's payment on the part 2 rhythm.
      const order = await orderOf(paymentId);
      assert.equal(order.frequency, `IntrvlMnthDay:01:${String(new Date(todayMs).getUTCDate()).padStart(2, '0')}`);
      const instalment = await db().selectFrom('standing_order_instalments').innerJoin('payments', 'payments.id', 'standing_order_instalments.payment_id').select(['payments.amount_minor', 'payments.currency']).where('standing_order_id', '=', order.id).executeTakeFirstOrThrow();
      assert.deepEqual([BigInt(instalment.amount_minor), instalment.currency.trim()], [990n, 'EUR']);

      const read = await tpp.request(`${PAIN001_PERIODIC}/${paymentId}`);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.headers['content-type'], request.contentType);
      assert.equal(read.text, request.body);
      const report = await tpp.request(`${PAIN001_PERIODIC}/${paymentId}/status`, { headers: { accept: 'application/xml' } });
      assert.equal(report.status, 200, report.text);
      const root = new DOMParser().parseFromString(report.text, 'text/xml').documentElement!;
      assert.equal(root.namespaceURI, 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.10');
      assert.deepEqual(Array.from(root.getElementsByTagName('GrpSts')).map((element) => element.textContent), ['ACSP']);
      // The JSON product's path does not name it.
      assert.equal((await tpp.request(`${PERIODIC}/${paymentId}/status`)).status, 403);
    });

    it('pain.001 periodic payment refusals: parts missing, unknown or repeated, part 2 off the schema, a document of two transfers, a past start date, another media type', async () => {
      const xml = pain001Document({ debtorIban: iban, transfers: [transfer('1.00')] });
      const order = { startDate: '2099-01-01', frequency: 'Monthly' };
      const cases: Array<[string, { body: string; contentType: string }, number, string, string | undefined]> = [
        ['no part 2', multipart([['xml_sct', 'application/xml', xml]]), 400, 'FORMAT_ERROR', 'json_standingorderType'],
        ['an unknown part', multipart([...periodicParts(xml, order), ['json_other', 'application/json', '{}']]), 400, 'FORMAT_ERROR', undefined],
        ['part 1 twice', multipart([['xml_sct', 'application/xml', xml], ...periodicParts(xml, order)]), 400, 'FORMAT_ERROR', 'xml_sct'],
        ['no boundary', { body: 'x', contentType: 'multipart/form-data' }, 400, 'FORMAT_ERROR', undefined],
        ['part 2 not JSON', multipart([['xml_sct', 'application/xml', xml], ['json_standingorderType', 'application/json', '{']]), 400, 'FORMAT_ERROR', 'json_standingorderType'],
        ['a frequency not in the file', multipart(periodicParts(xml, { ...order, frequency: 'Fortnightly' })), 400, 'FORMAT_ERROR', 'frequency'],
        ['no startDate', multipart(periodicParts(xml, { frequency: 'Monthly' })), 400, 'FORMAT_ERROR', 'startDate'],
        ['two transfers', multipart(periodicParts(pain001Document({ debtorIban: iban, transfers: [transfer('1.00'), transfer('2.00')] }), order)), 400, 'PARAMETER_NOT_CONSISTENT', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf'],
        ['a past start date', multipart(periodicParts(xml, { ...order, startDate: '2020-01-01' })), 400, 'EXECUTION_DATE_INVALID', 'startDate'],
        ['MonthlyVariable without its months', multipart(periodicParts(xml, { ...order, frequency: 'MonthlyVariable' })), 400, 'PARAMETER_NOT_CONSISTENT', 'monthsOfExecution'],
        ['a SEPA payment in pounds', multipart(periodicParts(pain001Document({ debtorIban: iban, transfers: [{ ...transfer('1.00'), currency: 'GBP' }] }), order)), 400, 'PARAMETER_NOT_CONSISTENT', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Amt/InstdAmt/@Ccy'],
        ['the pain.001 alone', { body: xml, contentType: 'application/xml' }, 415, 'FORMAT_ERROR', undefined],
      ];
      for (const [what, request, status, code, path] of cases) {
        const refused = await initiateMultipart(request);
        assert.equal(refused.status, status, `${what}: ${refused.text}`);
        if (status === 400) assertMatchesSchema(refused.json(), bgResponseSchema(PAYMENT, 'post', 400));
        const [message] = refused.json<TppMessages>().tppMessages;
        assert.equal(message!.code, code, what);
        if (path) assert.equal(message!.path, path, what);
      }
      // A JSON product takes no multipart body.
      const json = await tpp.request(PERIODIC, { xml: multipart(periodicParts(xml, order)).body, psuPresent: true, headers: { 'content-type': multipart([]).contentType, 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      assert.equal(json.status, 415, json.text);
    });

    it('refusals: monthsOfExecution without MonthlyVariable and the reverse, a month named twice, no rhythm day before endDate, an executionRule not in the file', async () => {
      const refusals: Array<[Record<string, unknown>, number, string, string | undefined]> = [
        [{ startDate: '2099-01-01', frequency: 'MonthlyVariable' }, 400, 'PARAMETER_NOT_CONSISTENT', 'monthsOfExecution'],
        [{ startDate: '2099-01-01', frequency: 'Monthly', monthsOfExecution: ['1'] }, 400, 'PARAMETER_NOT_CONSISTENT', 'monthsOfExecution'],
        [{ startDate: '2099-01-01', frequency: 'MonthlyVariable', monthsOfExecution: ['3', '3'] }, 400, 'PARAMETER_NOT_CONSISTENT', 'monthsOfExecution'],
        [{ startDate: '2099-01-01', endDate: '2099-02-28', frequency: 'MonthlyVariable', monthsOfExecution: ['6'] }, 400, 'PERIOD_INVALID', 'endDate'],
        [{ startDate: '2099-01-01', frequency: 'Weekly', dayOfExecution: '3' }, 400, 'PARAMETER_NOT_CONSISTENT', 'dayOfExecution'],
        [{ startDate: '2099-01-01', frequency: 'Monthly', executionRule: 'nearest' }, 400, 'FORMAT_ERROR', undefined],
      ];
      for (const [schedule, status, code, path] of refusals) {
        const refused = await initiate(periodic(iban, schedule));
        assert.equal(refused.status, status, `${JSON.stringify(schedule)}: ${refused.text}`);
        assertMatchesSchema(refused.json(), bgResponseSchema(PAYMENT, 'post', 400));
        const [message] = refused.json<TppMessages>().tppMessages;
        assert.equal(message!.code, code, JSON.stringify(schedule));
        if (path) assert.equal(message!.path, path, JSON.stringify(schedule));
      }
    });
  });
}
