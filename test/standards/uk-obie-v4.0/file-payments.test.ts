import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createLocalJWKSet, flattenedVerify, type JSONWebKeySet } from 'jose';
import { consentsOf } from '../../support/consents-module.ts';
import { DIALECTS } from '../../support/backends.ts';
import type { HttpsResponse } from '../../support/https-client.ts';
import type { TestPortico } from '../../support/start-test-portico.ts';
import type { TppClient } from '../../support/tpp-client.ts';
import { expectObError, type ObError } from '../../support/ob-errors.ts';
import { assertMatchesSchema, assertObResponse, obSchema, SPECS_DIR } from '../../support/openapi.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { SandboxPsuIdentity } from '../../support/ais-access.ts';
import { authorisePaymentConsent, checkPisResponse, OB_CRIT, PISP, pisGet, pisPost, startPisFixture, tppSignature, type ObCreditor, type ResponseCheck } from '../../support/pis-access.ts';

const FILE_TYPE = 'UK.OBIE.PaymentInitiation.4.0';

interface ObFileConsentResponse {
  Data: { ConsentId: string; Status: string; Initiation: Record<string, unknown>; Debtor?: { Identification: string } };
}

interface ObFilePaymentResponse {
  Data: { FilePaymentId: string; ConsentId: string; Status: string; StatusReason?: Array<{ StatusReasonDescription?: string }>; Initiation: Record<string, unknown> };
}

interface ObReport {
  Data: {
    FilePaymentId: string;
    ConsentId: string;
    Status: string;
    NumberOfTransactions: string;
    Summary: { Pending: number; Accepted: number; Rejected: number };
    Payments: Array<{
      PaymentTransactionId: string;
      InstructionIdentification: string;
      InstructedAmount: { Amount: string; Currency: string };
      Status: string;
      StatusReason?: { StatusReasonCode: string; StatusReasonDescription: string };
    }>;
  };
}

/** The official file's operations whose 200 body is a `File` (the upload's own 200 has no body). */
const spec = JSON.parse(fs.readFileSync(path.join(SPECS_DIR, 'uk-obie', 'v4.0', 'payment-initiation-openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { $ref: string }> }>>;
  components: { responses: Record<string, { headers?: Record<string, { required?: boolean }>; content?: Record<string, { schema: { $ref: string } }> }> };
};

/** A file of OB domestic payment Initiations, pretty-printed (its exact bytes are what is hashed and kept). */
function paymentFile(payments: ReadonlyArray<{ amount: string; creditor: ObCreditor }>): string {
  const DomesticPayments = payments.map(({ amount, creditor }, index) => ({
    InstructionIdentification: `FILE-${index + 1}-${randomUUID().slice(0, 8)}`,
    EndToEndIdentification: `E2E-${index + 1}`,
    LocalInstrument: 'UK.OBIE.FPS',
    InstructedAmount: { Amount: amount, Currency: 'GBP' },
    CreditorAccount: creditor,
    RemittanceInformation: { Unstructured: [`Payroll line ${index + 1}`] },
  }));
  return `${JSON.stringify({ Data: { DomesticPayments } }, null, 2)}\n`;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

function consentBody(file: string, declared: { count?: string; controlSum?: number; fileType?: string; hash?: string } = {}) {
  return {
    Data: {
      Initiation: {
        FileType: declared.fileType ?? FILE_TYPE,
        FileHash: declared.hash ?? sha256(file),
        FileReference: `PAYROLL-${randomUUID().slice(0, 8)}`,
        ...(declared.count !== undefined ? { NumberOfTransactions: declared.count } : {}),
        ...(declared.controlSum !== undefined ? { ControlSum: declared.controlSum } : {}),
      },
    },
  };
}
type ConsentBody = ReturnType<typeof consentBody>;

for (const dialect of DIALECTS) {
  describe(`OB v4.0 file payments (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let other: TppClient;
    let alice: SandboxPsuIdentity;
    let aliceGbp: string;
    let bobGbp: string;
    let bobCreditor: ObCreditor;
    let bankJwks: JSONWebKeySet;
    const db = () => app.portico.database.db;

    before(async () => {
      ({ app, tpp, other, alice, aliceGbp, bobGbp, bobCreditor, bankJwks } = await startPisFixture(dialect, { tpp: 'Bulk Payroll Ltd', other: 'Other Payments Ltd' }));
    });
    after(async () => {
      await app?.close();
    });

    const checked: ResponseCheck = (method, pathname, response) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response);

    /**
     * A response whose 200 body is a file (`GET …/file`, `GET …/report-file`). The official `File`
     * schema is an empty placeholder (no properties, `additionalProperties: false`) that no file
     * can match (OB: the file travels as the body, described by its headers), so the body is checked
     * by the test itself; everything else is checked against the official operation: the status is
     * one it lists, the body is declared a `File`, and the bank's detached signature covers it.
     */
    async function checkedFile(template: string, pathname: string, response: HttpsResponse): Promise<HttpsResponse> {
      if (response.status !== 200) return checked('GET', pathname, response);
      const definition = spec.components.responses[spec.paths[template]!['get']!.responses['200']!.$ref.split('/').pop()!]!;
      assert.equal(definition.content?.['application/json']?.schema.$ref, '#/components/schemas/File');
      assert.equal(definition.headers?.['x-jws-signature']?.required, true);
      assert.ok(response.headers['x-fapi-interaction-id']);
      const [protectedHeader, payload, signature] = String(response.headers['x-jws-signature']).split('.');
      assert.equal(payload, '', 'the response signature is detached');
      await flattenedVerify({ protected: protectedHeader!, payload: response.body.toString('base64url'), signature: signature! }, createLocalJWKSet(bankJwks), {
        algorithms: ['PS256'],
        crit: OB_CRIT,
      });
      return response;
    }

    const token = () => tpp.clientCredentialsToken('payments');

    async function stage(body: object, as: TppClient = tpp) {
      return checked('POST', `${PISP}/file-payment-consents`, await pisPost(as, '/file-payment-consents', { token: await as.clientCredentialsToken('payments'), body: JSON.stringify(body) }));
    }

    async function upload(consentId: string, file: string, options: { as?: TppClient; idempotencyKey?: string } = {}) {
      const as = options.as ?? tpp;
      const pathname = `/file-payment-consents/${consentId}/file`;
      const response = await pisPost(as, pathname, { token: await as.clientCredentialsToken('payments'), body: file, ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}) });
      // The official 200 of an upload has no body and no x-jws-signature; errors are signed as any.
      if (response.status !== 200) return checked('POST', `${PISP}${pathname}`, response);
      assertObResponse('payment-initiation', 'POST', `${PISP}${pathname}`, response);
      return response;
    }

    async function consentOf(consentId: string, as: TppClient = tpp) {
      const pathname = `/file-payment-consents/${consentId}`;
      return checked('GET', `${PISP}${pathname}`, await pisGet(as, pathname, await as.clientCredentialsToken('payments')));
    }

    async function statusOf(consentId: string) {
      const response = await consentOf(consentId);
      assert.equal(response.status, 200, response.text);
      return response.json<ObFileConsentResponse>().Data.Status;
    }

    async function download(consentId: string, as: TppClient = tpp) {
      const pathname = `/file-payment-consents/${consentId}/file`;
      return checkedFile('/file-payment-consents/{ConsentId}/file', `${PISP}${pathname}`, await pisGet(as, pathname, await as.clientCredentialsToken('payments')));
    }

    /** Staged, uploaded and authorised by Alice from her GBP account. */
    async function authorisedFile(file: string, body: ConsentBody = consentBody(file)) {
      const staged = await stage(body);
      assert.equal(staged.status, 201, staged.text);
      const consentId = staged.json<ObFileConsentResponse>().Data.ConsentId;
      const uploaded = await upload(consentId, file);
      assert.equal(uploaded.status, 200, uploaded.text);
      const psuToken = await authorisePaymentConsent(app, tpp, alice, consentId, aliceGbp);
      return { consentId, psuToken, body };
    }

    const submissionBody = (consentId: string, body: ConsentBody) => ({ Data: { ConsentId: consentId, Initiation: body.Data.Initiation } });
    const submit = (psuToken: string, body: object, idempotencyKey?: string) =>
      pisPost(tpp, '/file-payments', { token: psuToken, body: JSON.stringify(body), ...(idempotencyKey ? { idempotencyKey } : {}) }).then((r) => checked('POST', `${PISP}/file-payments`, r));

    async function filePayment(id: string, as: TppClient = tpp) {
      return checked('GET', `${PISP}/file-payments/${id}`, await pisGet(as, `/file-payments/${id}`, await as.clientCredentialsToken('payments')));
    }

    async function executed(id: string): Promise<ObFilePaymentResponse> {
      let status: ObFilePaymentResponse | undefined;
      await waitFor(async () => {
        const response = await filePayment(id);
        assert.equal(response.status, 200, response.text);
        status = response.json<ObFilePaymentResponse>();
        return status.Data.Status !== 'PDNG';
      }, `file payment ${id} to be executed`);
      return status!;
    }

    async function report(id: string, as: TppClient = tpp) {
      const pathname = `/file-payments/${id}/report-file`;
      return checkedFile('/file-payments/{FilePaymentId}/report-file', `${PISP}${pathname}`, await pisGet(as, pathname, await as.clientCredentialsToken('payments')));
    }

    const balanceOf = async (accountId: string) => (await app.portico.core.getBalances(accountId))!.bookedMinor;
    const paymentsOf = async (consentId: string) => db().selectFrom('payments').select(['id', 'status', 'core_ref', 'amount_minor']).where('consent_id', '=', consentId).execute();

    it('consent (AWUP) → upload → AWAU → download gives the exact bytes → AUTH → submission executes every payment on the ledger, by ControlSum; status, details and report', async () => {
      const file = paymentFile([
        { amount: '10.00', creditor: bobCreditor },
        { amount: '20.50', creditor: bobCreditor },
        { amount: '5.25', creditor: bobCreditor },
      ]);
      const body = consentBody(file, { count: '3', controlSum: 35.75 });
      const staged = await stage(body);
      assert.equal(staged.status, 201, staged.text);
      const consent = staged.json<ObFileConsentResponse>();
      assert.equal(consent.Data.Status, 'AWUP');
      assert.deepEqual(consent.Data.Initiation, body.Data.Initiation);
      const consentId = consent.Data.ConsentId;
      assert.equal(await statusOf(consentId), 'AWUP');
      // Nothing to download yet.
      expectObError(await download(consentId), 400, 'U011');

      const uploaded = await upload(consentId, file);
      assert.equal(uploaded.status, 200, uploaded.text);
      assert.equal(uploaded.text, '');
      assert.equal(await statusOf(consentId), 'AWAU');
      const downloaded = await download(consentId);
      assert.equal(downloaded.status, 200, downloaded.text);
      assert.match(String(downloaded.headers['content-type']), /^application\/json/);
      assert.ok(downloaded.body.equals(Buffer.from(file, 'utf8')), 'the download is the file exactly as uploaded');

      // What the PSU authorises: the file's total and its number of payments, the file's hash binding every payee.
      const stored = await consentsOf(db()).find(consentId);
      assert.equal(stored?.payment?.amountMinor, 3575n);
      assert.equal(stored?.payment?.currency, 'GBP');
      assert.deepEqual(stored?.payment?.file, { numberOfTransactions: 3 });
      assert.equal(stored?.payment?.creditorIdentification, createHash('sha256').update(file).digest('hex'));
      const psuToken = await authorisePaymentConsent(app, tpp, alice, consentId, aliceGbp);
      const authorised = (await consentOf(consentId)).json<ObFileConsentResponse>();
      assert.equal(authorised.Data.Status, 'AUTH');
      assert.ok(authorised.Data.Debtor);

      const [aliceBefore, bobBefore] = [await balanceOf(aliceGbp), await balanceOf(bobGbp)];
      const idempotencyKey = randomUUID();
      const submitted = await submit(psuToken, submissionBody(consentId, body), idempotencyKey);
      assert.equal(submitted.status, 201, submitted.text);
      const created = submitted.json<ObFilePaymentResponse>();
      assert.deepEqual(created.Data.Initiation, body.Data.Initiation);
      assert.equal(created.Data.ConsentId, consentId);
      const id = created.Data.FilePaymentId;

      const status = await executed(id);
      assert.equal(status.Data.Status, 'INCO');
      assert.equal(status.Data.StatusReason, undefined);
      const rows = await paymentsOf(consentId);
      assert.equal(rows.length, 3);
      assert.ok(rows.every((row) => row.status === 'settled' && row.core_ref !== null));
      assert.equal(aliceBefore - (await balanceOf(aliceGbp)), 3575n);
      assert.equal((await balanceOf(bobGbp)) - bobBefore, 3575n);

      const details = await checked('GET', `${PISP}/file-payments/${id}/payment-details`, await pisGet(tpp, `/file-payments/${id}/payment-details`, await token()));
      assert.equal(details.status, 200, details.text);
      const detailStatuses = details.json<{ Data: { PaymentStatus: Array<{ PaymentTransactionId: string; Status: string }> } }>().Data.PaymentStatus;
      assert.deepEqual(detailStatuses.map((s) => s.Status), ['ACCC', 'ACCC', 'ACCC']);

      const reportResponse = await report(id);
      assert.equal(reportResponse.status, 200, reportResponse.text);
      const reportFile = reportResponse.json<ObReport>();
      assert.equal(reportFile.Data.FilePaymentId, id);
      assert.equal(reportFile.Data.Status, 'INCO');
      assert.equal(reportFile.Data.NumberOfTransactions, '3');
      assert.deepEqual(reportFile.Data.Summary, { Pending: 0, Accepted: 3, Rejected: 0 });
      const inFile = (JSON.parse(file) as { Data: { DomesticPayments: Array<{ InstructionIdentification: string }> } }).Data.DomesticPayments;
      assert.deepEqual(
        reportFile.Data.Payments.map((p) => [p.InstructionIdentification, p.InstructedAmount.Amount, p.Status]),
        inFile.map((p, index) => [p.InstructionIdentification, ['10.00', '20.50', '5.25'][index], 'ACCC']),
      );
      assert.deepEqual(reportFile.Data.Payments.map((p) => p.PaymentTransactionId), detailStatuses.map((s) => s.PaymentTransactionId));

      // A repeat under the same idempotency key answers with the same file payment and pays nothing more.
      const repeat = await submit(psuToken, submissionBody(consentId, body), idempotencyKey);
      assert.equal(repeat.status, 201, repeat.text);
      assert.equal(repeat.json<ObFilePaymentResponse>().Data.FilePaymentId, id);
      assert.equal((await paymentsOf(consentId)).length, 3);
      assert.equal(await statusOf(consentId), 'COND');
    });

    it('a file with one payment over the available funds: that one Rejected (AM04) in the report, the rest settled, the file INCO with a StatusReason', async () => {
      const file = paymentFile([
        { amount: '1.00', creditor: bobCreditor },
        { amount: '99999999.00', creditor: bobCreditor },
        { amount: '2.00', creditor: bobCreditor },
      ]);
      const { consentId, psuToken, body } = await authorisedFile(file, consentBody(file, { count: '3', controlSum: 100000002 }));
      const aliceBefore = await balanceOf(aliceGbp);
      const submitted = await submit(psuToken, submissionBody(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const id = submitted.json<ObFilePaymentResponse>().Data.FilePaymentId;
      const status = await executed(id);
      assert.equal(status.Data.Status, 'INCO');
      assert.match(status.Data.StatusReason?.[0]?.StatusReasonDescription ?? '', /1 of the 3 payments/);
      assert.equal(aliceBefore - (await balanceOf(aliceGbp)), 300n);

      const reportFile = (await report(id)).json<ObReport>();
      assert.deepEqual(reportFile.Data.Summary, { Pending: 0, Accepted: 2, Rejected: 1 });
      assert.deepEqual(
        reportFile.Data.Payments.map((p) => [p.InstructedAmount.Amount, p.Status, p.StatusReason?.StatusReasonCode]),
        [
          ['1.00', 'ACCC', undefined],
          ['99999999.00', 'RJCT', 'AM04'],
          ['2.00', 'ACCC', undefined],
        ],
      );
    });

    it('a file of one payment the account cannot fund: the file payment is INFA', async () => {
      const file = paymentFile([{ amount: '99999999.00', creditor: bobCreditor }]);
      const { consentId, psuToken, body } = await authorisedFile(file);
      const submitted = await submit(psuToken, submissionBody(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      assert.equal((await executed(submitted.json<ObFilePaymentResponse>().Data.FilePaymentId)).Data.Status, 'INFA');
    });

    it('RequestedExecutionDateTime in the future: the payments wait for it (PDNG, nothing debited)', async () => {
      const file = paymentFile([{ amount: '3.00', creditor: bobCreditor }]);
      const base = consentBody(file);
      const body = { Data: { Initiation: { ...base.Data.Initiation, RequestedExecutionDateTime: new Date(Date.now() + 7 * 86_400_000).toISOString().replace(/\.\d+Z$/, '+00:00') } } };
      const { consentId, psuToken } = await authorisedFile(file, body as ConsentBody);
      const aliceBefore = await balanceOf(aliceGbp);
      const submitted = await submit(psuToken, submissionBody(consentId, body as ConsentBody));
      assert.equal(submitted.status, 201, submitted.text);
      const id = submitted.json<ObFilePaymentResponse>().Data.FilePaymentId;
      await app.portico.scheduler.runDue();
      assert.equal((await filePayment(id)).json<ObFilePaymentResponse>().Data.Status, 'PDNG');
      assert.equal(await balanceOf(aliceGbp), aliceBefore);
      const due = await db().selectFrom('scheduled_jobs').select('run_at').where('dedupe_key', '=', `file-payment:${(await paymentsOf(consentId))[0]!.id}`).executeTakeFirstOrThrow();
      assert.equal(new Date(due.run_at).toISOString(), new Date(body.Data.Initiation.RequestedExecutionDateTime).toISOString());
    });

    describe('attacks', () => {
      it('a file whose SHA-256 is not the consent FileHash: 400 U002, nothing stored, the consent stays AWUP and cannot be authorised', async () => {
        const declared = paymentFile([{ amount: '10.00', creditor: bobCreditor }]);
        const swapped = paymentFile([{ amount: '9000.00', creditor: bobCreditor }]);
        const consentId = (await stage(consentBody(declared))).json<ObFileConsentResponse>().Data.ConsentId;
        const refused = await upload(consentId, swapped);
        expectObError(refused, 400, 'U002');
        assert.equal(refused.json<ObError>().Errors[0]?.Path, 'Data.Initiation.FileHash');
        assert.equal(await statusOf(consentId), 'AWUP');
        expectObError(await download(consentId), 400, 'U011');
        await assert.rejects(consentsOf(db()).authorise(consentId, { psuId: alice.psuId, partyId: alice.partyId, accountIds: [aliceGbp] }), /not awaiting authorisation/);
      });

      it('a file whose number of payments or total differs from the consent (hash matching): 400 U002, the consent stays AWUP', async () => {
        const file = paymentFile([
          { amount: '10.00', creditor: bobCreditor },
          { amount: '20.00', creditor: bobCreditor },
        ]);
        const moreDeclared = (await stage(consentBody(file, { count: '3' }))).json<ObFileConsentResponse>().Data.ConsentId;
        const count = await upload(moreDeclared, file);
        expectObError(count, 400, 'U002');
        assert.equal(count.json<ObError>().Errors[0]?.Path, 'Data.Initiation.NumberOfTransactions');
        assert.equal(await statusOf(moreDeclared), 'AWUP');
        const otherTotal = (await stage(consentBody(file, { count: '2', controlSum: 3000 }))).json<ObFileConsentResponse>().Data.ConsentId;
        const total = await upload(otherTotal, file);
        expectObError(total, 400, 'U002');
        assert.equal(total.json<ObError>().Errors[0]?.Path, 'Data.Initiation.ControlSum');
        assert.equal(await statusOf(otherTotal), 'AWUP');
      });

      it('a second upload to the consent: 400 U009, the first file stays (a repeat under the same key answers as the first)', async () => {
        const file = paymentFile([{ amount: '4.00', creditor: bobCreditor }]);
        const consentId = (await stage(consentBody(file))).json<ObFileConsentResponse>().Data.ConsentId;
        const idempotencyKey = randomUUID();
        assert.equal((await upload(consentId, file, { idempotencyKey })).status, 200);
        assert.equal((await upload(consentId, file, { idempotencyKey })).status, 200);
        expectObError(await upload(consentId, file), 400, 'U009');
        expectObError(await upload(consentId, `${file} `), 400, 'U002');
        assert.ok((await download(consentId)).body.equals(Buffer.from(file)));
        assert.equal(await statusOf(consentId), 'AWAU');
      });

      it("another TPP uploading the file, or reading the consent or its file: 400 U011, nothing learnt or changed", async () => {
        const file = paymentFile([{ amount: '4.00', creditor: bobCreditor }]);
        const consentId = (await stage(consentBody(file))).json<ObFileConsentResponse>().Data.ConsentId;
        expectObError(await upload(consentId, file, { as: other }), 400, 'U011');
        expectObError(await consentOf(consentId, other), 400, 'U011');
        assert.equal(await statusOf(consentId), 'AWUP');
        assert.equal((await upload(consentId, file)).status, 200);
        expectObError(await download(consentId, other), 400, 'U011');
      });

      it('an upload signed with another TPP key, or over other bytes: 400, nothing stored', async () => {
        const file = paymentFile([{ amount: '4.00', creditor: bobCreditor }]);
        const consentId = (await stage(consentBody(file))).json<ObFileConsentResponse>().Data.ConsentId;
        const pathname = `/file-payment-consents/${consentId}/file`;
        const forged = await pisPost(tpp, pathname, { token: await token(), body: file, signature: await tppSignature(tpp, file, { signer: other }) });
        assert.equal((await checked('POST', `${PISP}${pathname}`, forged)).status, 400);
        const otherBytes = await pisPost(tpp, pathname, { token: await token(), body: file, signature: await tppSignature(tpp, `${file}\n`) });
        assert.equal((await checked('POST', `${PISP}${pathname}`, otherBytes)).status, 400);
        assert.equal(await statusOf(consentId), 'AWUP');
      });

      it('a submission on a consumed consent: 403 U009, no second file payment, nothing more paid', async () => {
        const file = paymentFile([{ amount: '1.50', creditor: bobCreditor }]);
        const { consentId, psuToken, body } = await authorisedFile(file);
        assert.equal((await submit(psuToken, submissionBody(consentId, body))).status, 201);
        expectObError(await submit(psuToken, submissionBody(consentId, body)), 403, 'U009');
        assert.equal((await paymentsOf(consentId)).length, 1);
        assert.equal((await db().selectFrom('file_payments').select('id').where('consent_id', '=', consentId).execute()).length, 1);
      });

      it('a submission whose Initiation is not the consent (another FileHash): 400 U008, nothing paid, the consent stays AUTH', async () => {
        const file = paymentFile([{ amount: '1.25', creditor: bobCreditor }]);
        const { consentId, psuToken, body } = await authorisedFile(file);
        const tampered = { Data: { ConsentId: consentId, Initiation: { ...body.Data.Initiation, FileHash: sha256('another file') } } };
        expectObError(await submit(psuToken, tampered), 400, 'U008');
        assert.equal((await paymentsOf(consentId)).length, 0);
        assert.equal(await statusOf(consentId), 'AUTH');
      });

      it('another TPP reading the file payment, its payment details or its report: 400 U011', async () => {
        const file = paymentFile([{ amount: '1.75', creditor: bobCreditor }]);
        const { consentId, psuToken, body } = await authorisedFile(file);
        const id = (await submit(psuToken, submissionBody(consentId, body))).json<ObFilePaymentResponse>().Data.FilePaymentId;
        expectObError(await filePayment(id, other), 400, 'U011');
        expectObError(await checked('GET', `${PISP}/file-payments/${id}/payment-details`, await pisGet(other, `/file-payments/${id}/payment-details`, await other.clientCredentialsToken('payments'))), 400, 'U011');
        expectObError(await report(id, other), 400, 'U011');
        expectObError(await filePayment('pfp-unknown'), 400, 'U011');
      });

      it('an ISO 20022 pain.001 file type, an unreadable hash or a count over the limit: refused at consent time (400 U002), no consent', async () => {
        const file = paymentFile([{ amount: '1.00', creditor: bobCreditor }]);
        const before = (await db().selectFrom('consents').select('id').execute()).length;
        const pain = await stage(consentBody(file, { fileType: 'UK.OBIE.pain.001.001.08' }));
        expectObError(pain, 400, 'U002');
        assert.equal(pain.json<ObError>().Errors[0]?.Path, 'Data.Initiation.FileType');
        expectObError(await stage(consentBody(file, { hash: 'not-a-sha256' })), 400, 'U002');
        expectObError(await stage(consentBody(file, { count: '1000000' })), 400, 'U002');
        assert.equal((await db().selectFrom('consents').select('id').execute()).length, before);
      });

      it('a file that is not a file of OB domestic payments: 400 U010 naming the bad field', async () => {
        const file = `${JSON.stringify({ Data: { DomesticPayments: [{ InstructionIdentification: 'X', EndToEndIdentification: 'Y', InstructedAmount: { Amount: 'ten', Currency: 'GBP' }, CreditorAccount: bobCreditor }] } })}`;
        const consentId = (await stage(consentBody(file))).json<ObFileConsentResponse>().Data.ConsentId;
        const refused = await upload(consentId, file);
        expectObError(refused, 400, 'U010');
        assert.match(refused.json<ObError>().Errors[0]?.Path ?? '', /^Data\.DomesticPayments\[0\]\.InstructedAmount/);
        assert.equal(await statusOf(consentId), 'AWUP');
      });

      it('a file over the size limit: 413 with an OB error body, nothing stored', async () => {
        const file = paymentFile([{ amount: '1.00', creditor: bobCreditor }]);
        const consentId = (await stage(consentBody(file))).json<ObFileConsentResponse>().Data.ConsentId;
        const huge = `{"Data":{"DomesticPayments":[]},"Padding":"${'x'.repeat(app.portico.config.filePayments.maxFileBytes)}"}`;
        const response = await pisPost(tpp, `/file-payment-consents/${consentId}/file`, { token: await token(), body: huge });
        assert.equal(response.status, 413, response.text);
        assertMatchesSchema(response.json(), obSchema('payment-initiation', 'OBErrorResponse1'));
        assert.equal(await statusOf(consentId), 'AWUP');
      });
    });
  });
}
