import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { assertMatchesSchema, bgResponseSchema } from '../../support/openapi.ts';
import { pain001Document, type Pain001TestVersion, type Pain001Transfer } from '../../support/pain001-document.ts';
import { waitFor } from '../../support/wait-for.ts';
import { psuCompletesSca, psusWithIban, XS2A, XS2A_REDIRECT_URI, Xs2aClient, leastUsedPsu, type SandboxPsu } from '../../support/xs2a-client.ts';

const PAYMENT = '/v1/{payment-service}/{payment-product}';
const created201 = bgResponseSchema(PAYMENT, 'post', 201);
const statusOk = bgResponseSchema(`${PAYMENT}/{paymentId}/status`, 'get', 200);
/** A valid German IBAN outside the bank (the payment leaves it through the sandbox scheme). */
const CREDITOR_IBAN = 'DE89370400440532013000';

interface Links { [name: string]: { href: string } }
const codeOf = (response: { json<T>(): T }) => response.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code;
const pathOf = (response: { json<T>(): T }) => response.json<{ tppMessages: Array<{ path?: string }> }>().tppMessages[0]!.path;
const transfer = (amount: string, name = 'Bäckerei Müller', overrides: Partial<Pain001Transfer> = {}): Pain001Transfer => ({
  endToEndId: `E2E-${randomUUID().slice(0, 8)}`,
  amount,
  creditorName: name,
  creditorIban: CREDITOR_IBAN,
  creditorBic: 'COBADEFFXXX',
  remittance: `Invoice ${randomUUID().slice(0, 4)}`,
  ...overrides,
});
const textsOf = (root: Element, name: string) => Array.from(root.getElementsByTagName(name)).map((element) => element.textContent);

for (const dialect of DIALECTS) {
  describe(`Berlin Group NextGenPSD2 pain.001 payment products (${dialect})`, () => {
    let app: TestPortico;
    let tpp: Xs2aClient;
    let psus: Array<{ psu: SandboxPsu; iban: string }>;
    let psu: SandboxPsu;
    let iban: string;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, 'Zahlfix XML GmbH');
      psus = await psusWithIban(app);
    });
    after(async () => {
      await app?.close();
    });
    beforeEach(() => {
      ({ psu, iban } = leastUsedPsu(psus));
    });

    const initiate = (service: string, product: string, xml: string, options: { headers?: Record<string, string>; sign?: boolean } = {}) =>
      tpp.request(`${XS2A}/${service}/${product}`, { xml, sign: options.sign ?? false, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI, ...options.headers } });
    const statusOf = async (service: string, product: string, paymentId: string) =>
      (await tpp.request(`${XS2A}/${service}/${product}/${paymentId}/status`)).json<{ transactionStatus: string }>().transactionStatus;
    const pain002Of = async (service: string, product: string, paymentId: string) => {
      const response = await tpp.request(`${XS2A}/${service}/${product}/${paymentId}/status`, { headers: { accept: 'application/xml' } });
      assert.equal(response.status, 200, response.text);
      assert.match(String(response.headers['content-type']), /^application\/xml/);
      return new DOMParser().parseFromString(response.text, 'text/xml').documentElement!;
    };

    const products: Array<[string, Pain001TestVersion]> = [
      ['pain.001-sepa-credit-transfers', 'pain.001.001.03'],
      ['pain.001-instant-sepa-credit-transfers', 'pain.001.001.09'],
      ['pain.001-target-2-payments', 'pain.001.001.03'],
      ['pain.001-cross-border-credit-transfers', 'pain.001.001.09'],
    ];
    for (const [product, version] of products) {
      it(`bulk ${product} (${version}): initiation → one SCA → executed on the ledger → ACSC, the document echoed, the status as pain.002`, async () => {
        const transfers = [transfer('3.10'), transfer('4.20', 'Blumen Schmidt')];
        const xml = pain001Document({ version, debtorIban: iban, transfers });
        const created = await initiate('bulk-payments', product, xml, { sign: true });
        assert.equal(created.status, 201, created.text);
        assert.equal(created.headers['aspsp-sca-approach'], 'REDIRECT');
        assertMatchesSchema(created.json(), created201);
        const { paymentId, transactionStatus, _links } = created.json<{ paymentId: string; transactionStatus: string; _links: Links }>();
        assert.equal(transactionStatus, 'RCVD');
        assert.equal(created.headers['location'], `${app.base}${XS2A}/bulk-payments/${product}/${paymentId}`);
        assert.equal(_links['self']!.href, `${app.base}${XS2A}/bulk-payments/${product}/${paymentId}`);
        const received = await pain002Of('bulk-payments', product, paymentId);
        assert.deepEqual(textsOf(received, 'GrpSts'), ['RCVD']);
        assert.deepEqual(textsOf(received, 'TxSts'), []);

        assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
        await waitFor(async () => (await statusOf('bulk-payments', product, paymentId)) === 'ACSC', `bulk ${paymentId} settled`);
        const status = await tpp.request(`${XS2A}/bulk-payments/${product}/${paymentId}/status`);
        assertMatchesSchema(status.json(), statusOk);
        assert.deepEqual(status.json(), { transactionStatus: 'ACSC' });

        const read = await tpp.request(`${XS2A}/bulk-payments/${product}/${paymentId}`);
        assert.equal(read.status, 200, read.text);
        assert.match(String(read.headers['content-type']), /^application\/xml/);
        assert.equal(read.text, xml);

        const report = await pain002Of('bulk-payments', product, paymentId);
        assert.equal(report.namespaceURI, `urn:iso:std:iso:20022:tech:xsd:${version === 'pain.001.001.03' ? 'pain.002.001.03' : 'pain.002.001.10'}`);
        assert.deepEqual(textsOf(report, 'OrgnlMsgId'), ['MSG-4711-0001']);
        assert.deepEqual(textsOf(report, 'OrgnlMsgNmId'), [version]);
        assert.deepEqual(textsOf(report, 'GrpSts'), ['ACSC']);
        assert.deepEqual(textsOf(report, 'OrgnlEndToEndId'), transfers.map((t) => t.endToEndId));
        assert.deepEqual(textsOf(report, 'TxSts'), ['ACSC', 'ACSC']);
        assert.deepEqual((await tpp.request(new URL(_links['scaStatus']!.href).pathname)).json(), { scaStatus: 'finalised' });
      });
    }

    it('bulk of two payment information blocks of one debtor account: one SCA → ACSC; the pain.002 reports each block with its own transfers', async () => {
      const first = [transfer('2.10'), transfer('2.20', 'Blumen Schmidt')];
      const second = [transfer('2.30', 'Kiosk Ost')];
      const xml = pain001Document({ version: 'pain.001.001.09', debtorIban: iban, transfers: first, moreBlocks: [{ debtorIban: iban, transfers: second, paymentInformationId: 'PMT-4711-RENT' }] });
      const created = await initiate('bulk-payments', 'pain.001-sepa-credit-transfers', xml);
      assert.equal(created.status, 201, created.text);
      assertMatchesSchema(created.json(), created201);
      const { paymentId, _links } = created.json<{ paymentId: string; _links: Links }>();
      const received = await pain002Of('bulk-payments', 'pain.001-sepa-credit-transfers', paymentId);
      assert.deepEqual(textsOf(received, 'OrgnlPmtInfId'), ['PMT-4711-0001', 'PMT-4711-RENT']);
      assert.deepEqual(textsOf(received, 'PmtInfSts'), ['RCVD', 'RCVD']);

      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      await waitFor(async () => (await statusOf('bulk-payments', 'pain.001-sepa-credit-transfers', paymentId)) === 'ACSC', `bulk ${paymentId} settled`);
      const status = await tpp.request(`${XS2A}/bulk-payments/pain.001-sepa-credit-transfers/${paymentId}/status`);
      assertMatchesSchema(status.json(), statusOk);
      assert.deepEqual(status.json(), { transactionStatus: 'ACSC' });
      assert.equal((await tpp.request(`${XS2A}/bulk-payments/pain.001-sepa-credit-transfers/${paymentId}`)).text, xml);

      const report = await pain002Of('bulk-payments', 'pain.001-sepa-credit-transfers', paymentId);
      assert.equal(report.namespaceURI, 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.10');
      assert.deepEqual(textsOf(report, 'GrpSts'), ['ACSC']);
      assert.deepEqual(textsOf(report, 'OrgnlNbOfTxs'), ['3', '2', '1']);
      const blocks = Array.from(report.getElementsByTagName('OrgnlPmtInfAndSts'));
      assert.deepEqual(blocks.map((block) => [textsOf(block, 'OrgnlPmtInfId'), textsOf(block, 'PmtInfSts'), textsOf(block, 'OrgnlEndToEndId'), textsOf(block, 'TxSts')]), [
        [['PMT-4711-0001'], ['ACSC'], first.map((t) => t.endToEndId), ['ACSC', 'ACSC']],
        [['PMT-4711-RENT'], ['ACSC'], second.map((t) => t.endToEndId), ['ACSC']],
      ]);
    });

    it('several payment information blocks: another debtor account (400 PARAMETER_NOT_SUPPORTED), another day (400 EXECUTION_DATE_INVALID), a single payment (400 PARAMETER_NOT_CONSISTENT)', async () => {
      const second = (block: Record<string, string>) => ({ debtorIban: iban, transfers: [transfer('1.50')], ...block });
      const cases: Array<[string, string, number, string, string]> = [
        ['bulk-payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00')], moreBlocks: [second({ debtorIban: 'NL91ABNA0417164300' })] }), 400, 'PARAMETER_NOT_SUPPORTED', 'Document/CstmrCdtTrfInitn/PmtInf[2]/DbtrAcct/Id/IBAN'],
        ['bulk-payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00')], moreBlocks: [second({ executionDate: '2099-01-01' })] }), 400, 'EXECUTION_DATE_INVALID', 'Document/CstmrCdtTrfInitn/PmtInf[2]/ReqdExctnDt'],
        ['payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00')], moreBlocks: [second({})] }), 400, 'PARAMETER_NOT_CONSISTENT', 'Document/CstmrCdtTrfInitn/PmtInf[2]'],
        // A refusal of the JSON rules of a single payment names the element too (the rules throw before any await).
        ['payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00', 'Bäckerei Müller', { currency: 'GBP' })] }), 400, 'PARAMETER_NOT_CONSISTENT', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Amt/InstdAmt/@Ccy'],
      ];
      for (const [service, xml, status, code, path] of cases) {
        const refused = await initiate(service, 'pain.001-sepa-credit-transfers', xml);
        assert.equal(refused.status, status, refused.text);
        assertMatchesSchema(refused.json(), bgResponseSchema(PAYMENT, 'post', 400));
        assert.equal(codeOf(refused), code);
        assert.equal(pathOf(refused), path);
      }
    });

    it('single payment pain.001-sepa-credit-transfers: one credit transfer → SCA → ACSC; the JSON product path does not reach it', async () => {
      const xml = pain001Document({ version: 'pain.001.001.09', debtorIban: iban, transfers: [transfer('12.34')] });
      const created = await initiate('payments', 'pain.001-sepa-credit-transfers', xml);
      assert.equal(created.status, 201, created.text);
      assertMatchesSchema(created.json(), created201);
      const { paymentId, _links } = created.json<{ paymentId: string; _links: Links }>();
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      await waitFor(async () => (await statusOf('payments', 'pain.001-sepa-credit-transfers', paymentId)) === 'ACSC', `payment ${paymentId} settled`);
      const report = await pain002Of('payments', 'pain.001-sepa-credit-transfers', paymentId);
      assert.deepEqual(textsOf(report, 'TxSts'), ['ACSC']);
      assert.equal((await tpp.request(`${XS2A}/payments/pain.001-sepa-credit-transfers/${paymentId}`)).text, xml);
      // A JSON product's path (or the bulk service) does not name this payment.
      const other = await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${paymentId}/status`);
      assert.equal(other.status, 403, other.text);
      assert.equal(codeOf(other), 'RESOURCE_UNKNOWN');
    });

    it('explicit start, cancellation before authorisation (204, CANC; pain.002 RJCT for DS02), and an Accept with neither format (406)', async () => {
      const xml = pain001Document({ debtorIban: iban, transfers: [transfer('1.00'), transfer('2.00')] });
      const created = await initiate('bulk-payments', 'pain.001-sepa-credit-transfers', xml, { headers: { 'tpp-explicit-authorisation-preferred': 'true' } });
      assert.equal(created.status, 201, created.text);
      const { paymentId, _links } = created.json<{ paymentId: string; _links: Links }>();
      const started = await tpp.request(new URL(_links['startAuthorisation']!.href).pathname, { method: 'POST', headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      assert.equal(started.status, 201, started.text);
      assertMatchesSchema(started.json(), bgResponseSchema(`${PAYMENT}/{paymentId}/authorisations`, 'post', 201));
      const cancelled = await tpp.request(`${XS2A}/bulk-payments/pain.001-sepa-credit-transfers/${paymentId}`, { method: 'DELETE' });
      assert.equal(cancelled.status, 204, cancelled.text);
      assert.equal(await statusOf('bulk-payments', 'pain.001-sepa-credit-transfers', paymentId), 'CANC');
      const report = await pain002Of('bulk-payments', 'pain.001-sepa-credit-transfers', paymentId);
      assert.deepEqual(textsOf(report, 'GrpSts'), ['RJCT']);
      assert.deepEqual(textsOf(report, 'Cd'), ['DS02', 'DS02']);
      const refused = await tpp.request(`${XS2A}/bulk-payments/pain.001-sepa-credit-transfers/${paymentId}/status`, { headers: { accept: 'text/html' } });
      // The file gives a PIS 406 no body; the facade answers with the code its AIS 406 has.
      assert.equal(refused.status, 406, refused.text);
      assert.equal(codeOf(refused), 'REQUESTED_FORMATS_INVALID');
    });

    it('the same X-Request-ID and document answer with the same payment; another document under it is refused', async () => {
      const requestId = randomUUID();
      const xml = pain001Document({ debtorIban: iban, transfers: [transfer('5.00'), transfer('6.00')] });
      const first = await initiate('bulk-payments', 'pain.001-sepa-credit-transfers', xml, { headers: { 'x-request-id': requestId } });
      const again = await initiate('bulk-payments', 'pain.001-sepa-credit-transfers', xml, { headers: { 'x-request-id': requestId } });
      assert.equal(first.status, 201, first.text);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.json<{ paymentId: string }>().paymentId, first.json<{ paymentId: string }>().paymentId);
      const different = await initiate('bulk-payments', 'pain.001-sepa-credit-transfers', xml.replace('6.00', '6.01').replace('<CtrlSum>11.00</CtrlSum>', '<CtrlSum>11.01</CtrlSum>').replace('<CtrlSum>11.00</CtrlSum>', '<CtrlSum>11.01</CtrlSum>'), { headers: { 'x-request-id': requestId } });
      assert.equal(different.status, 400, different.text);
      assertMatchesSchema(different.json(), bgResponseSchema(PAYMENT, 'post', 400));
    });

    it('refusals name the element: NbOfTxs and CtrlSum off, a date not today, SEPA in another currency, two transfers as a single payment', async () => {
      const cases: Array<[string, string, string, string, string]> = [
        ['bulk-payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00')], numberOfTransactions: '2' }), 'PARAMETER_NOT_CONSISTENT', 'Document/CstmrCdtTrfInitn/GrpHdr/NbOfTxs', 'NbOfTxs'],
        ['bulk-payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00')], controlSum: '1.01' }), 'PARAMETER_NOT_CONSISTENT', 'Document/CstmrCdtTrfInitn/GrpHdr/CtrlSum', 'CtrlSum'],
        ['bulk-payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00')], executionDate: '2099-01-01' }), 'EXECUTION_DATE_INVALID', 'Document/CstmrCdtTrfInitn/PmtInf/ReqdExctnDt', 'ReqdExctnDt'],
        ['bulk-payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00', 'x', { currency: 'USD' })] }), 'PARAMETER_NOT_CONSISTENT', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Amt/InstdAmt/@Ccy', 'currency'],
        ['bulk-payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00'), transfer('1.001')], controlSum: null }), 'FORMAT_ERROR', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[2]/Amt/InstdAmt', 'cents'],
        ['payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00'), transfer('2.00')] }), 'PARAMETER_NOT_CONSISTENT', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf', 'two'],
        ['bulk-payments', pain001Document({ debtorIban: iban, transfers: [transfer('1.00', 'x', { creditorName: '' })] }), 'FORMAT_ERROR', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Cdtr/Nm', 'empty name'],
      ];
      for (const [service, xml, code, path, name] of cases) {
        const refused = await initiate(service, 'pain.001-sepa-credit-transfers', xml);
        assert.equal(refused.status, 400, `${name}: ${refused.text}`);
        assertMatchesSchema(refused.json(), bgResponseSchema(PAYMENT, 'post', 400));
        assert.equal(codeOf(refused), code, `${name}: ${refused.text}`);
        assert.equal(pathOf(refused), path, `${name}: ${refused.text}`);
      }
    });

    it('the media type follows the product and service (415 FORMAT_ERROR otherwise: a periodic payment takes its pain.001 in a multipart body)', async () => {
      const xml = pain001Document({ debtorIban: iban, transfers: [transfer('1.00')] });
      const json = await tpp.request(`${XS2A}/bulk-payments/pain.001-sepa-credit-transfers`, { body: { debtorAccount: { iban }, payments: [] }, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      // The file gives a PIS 415 no body; the facade's 415 carries FORMAT_ERROR, as for any body of the wrong type.
      assert.equal(json.status, 415, json.text);
      assert.equal(codeOf(json), 'FORMAT_ERROR');
      const xmlToJsonProduct = await initiate('bulk-payments', 'sepa-credit-transfers', xml);
      assert.equal(xmlToJsonProduct.status, 415, xmlToJsonProduct.text);
      const textXml = await initiate('bulk-payments', 'pain.001-sepa-credit-transfers', xml, { headers: { 'content-type': 'text/xml' } });
      assert.equal(textXml.status, 415, textXml.text);
      const periodic = await initiate('periodic-payments', 'pain.001-sepa-credit-transfers', xml);
      assert.equal(periodic.status, 415, periodic.text);
      assert.equal(codeOf(periodic), 'FORMAT_ERROR');
      const unknown = await initiate('bulk-payments', 'pain.001-sepa-direct-debits', xml);
      assert.equal(unknown.status, 404, unknown.text);
      assert.equal(codeOf(unknown), 'PRODUCT_UNKNOWN');
    });

    it('attack: XXE — a pain.001 with an external entity is 400 FORMAT_ERROR, nothing of the file is read back', async () => {
      const xml = pain001Document({ debtorIban: iban, transfers: [transfer('1.00')] })
        .replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
        .replace('Bäckerei Müller', '&xxe;');
      const refused = await initiate('bulk-payments', 'pain.001-sepa-credit-transfers', xml);
      assert.equal(refused.status, 400, refused.text);
      assertMatchesSchema(refused.json(), bgResponseSchema(PAYMENT, 'post', 400));
      assert.equal(codeOf(refused), 'FORMAT_ERROR');
      assert.match(refused.text, /document type \(DTD\)/);
      assert.doesNotMatch(refused.text, /root:/);
    });

    it('attack: billion laughs — nested entities are refused at once (400 FORMAT_ERROR), never expanded', async () => {
      const entities = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('');
      const xml = pain001Document({ debtorIban: iban, transfers: [transfer('1.00', 'x', { remittance: 'LAUGHS' })] })
        .replace('<?xml version="1.0" encoding="UTF-8"?>', `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Document [${entities}]>`)
        .replace('LAUGHS', '&lol9;');
      const refused = await initiate('bulk-payments', 'pain.001-sepa-credit-transfers', xml);
      assert.equal(refused.status, 400, refused.text);
      assert.equal(codeOf(refused), 'FORMAT_ERROR');
      assert.ok(refused.body.length < 2000, 'the answer carries no expansion');
    });

    it('attack: a pain.001 changed after signing is 401 SIGNATURE_INVALID and creates nothing; the Digest covers the XML as sent', async () => {
      const xml = pain001Document({ debtorIban: iban, transfers: [transfer('10.00')] });
      const headers: Record<string, string> = { 'x-request-id': randomUUID(), 'content-type': 'application/xml', 'psu-ip-address': '192.0.2.10', 'tpp-redirect-uri': XS2A_REDIRECT_URI };
      const { signBgRequest } = await import('../../support/bg-http-signature.ts');
      const path = `${XS2A}/bulk-payments/pain.001-sepa-credit-transfers`;
      const signature = signBgRequest({ method: 'POST', url: path, headers, body: xml, certificatePem: tpp.tpp.signing.certificatePem, privateKey: tpp.tpp.signing.privateKeyPem });
      const tampered = xml.replaceAll('10.00', '9999.00');
      const send = (body: string) => app.request(path, { method: 'POST', headers: { ...headers, ...signature }, body, cert: tpp.tpp.transport.certificatePem, key: tpp.tpp.transport.privateKeyPem });
      const refused = await send(tampered);
      assert.equal(refused.status, 401, refused.text);
      assertMatchesSchema(refused.json(), bgResponseSchema(PAYMENT, 'post', 401));
      assert.equal(codeOf(refused), 'SIGNATURE_INVALID');
      const honest = await send(xml);
      assert.equal(honest.status, 201, honest.text);
    });

    it('hostile input: oversized, deeply nested, huge-number and broken documents get a tppMessages 4xx, never a 5xx', async () => {
      const valid = pain001Document({ debtorIban: iban, transfers: [transfer('1.00')] });
      const bodies: Array<[string, string]> = [
        ['over the body limit', valid.replace('<InitgPty>', `<InitgPty><!-- ${'x'.repeat(1_100_000)} -->`)],
        ['deeply nested', valid.replace('<Nm>Bäckerei Müller</Nm>', `<Nm>${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</Nm>`)],
        ['an amount of 14 digits', valid.replace('>1.00<', '>12345678901234<').replaceAll('<CtrlSum>1.00</CtrlSum>', '')],
        ['an amount of 100 000 digits', valid.replace('>1.00<', `>${'9'.repeat(100_000)}<`)],
        ['NbOfTxs of 100 000 digits', valid.replaceAll('<NbOfTxs>1</NbOfTxs>', `<NbOfTxs>${'9'.repeat(100_000)}</NbOfTxs>`)],
        ['a NUL character reference', valid.replace('Bäckerei', 'B&#0;ckerei')],
        ['an unpaired surrogate reference', valid.replace('Bäckerei', 'B&#xD800;ckerei')],
        ['a wrong namespace', valid.replace('pain.001.001.03', 'pain.001.001.99')],
        ['a missing DbtrAcct', valid.replace(/<DbtrAcct>.*<\/DbtrAcct>/, '')],
        ['truncated', valid.slice(0, valid.length / 2)],
        ['not XML', '{"debtorAccount": {}}'],
        ['empty', ''],
      ];
      for (const [name, xml] of bodies) {
        const response = await initiate('bulk-payments', 'pain.001-sepa-credit-transfers', xml);
        assert.ok(response.status >= 400 && response.status < 500, `${name}: ${response.status} ${response.text.slice(0, 300)}`);
        assert.ok(Array.isArray(response.json<{ tppMessages?: unknown }>().tppMessages), `${name}: ${response.text.slice(0, 300)}`);
      }
    });
  });
}
