import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { parse as parseYaml } from 'yaml';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { entriesOfXs2aBulk } from '../../../src/standards/berlin-group/v1.3/payments/xs2a-bulk-payment.ts';
import { readPain001 } from '../../../src/standards/berlin-group/v1.3/payments/xs2a-pain001.ts';
import { inPain001Terms, layoutOf, pain001Initiation, pain001PathOf } from '../../../src/standards/berlin-group/v1.3/payments/xs2a-pain001-initiation.ts';
import { pain002Of } from '../../../src/standards/berlin-group/v1.3/payments/xs2a-pain002.ts';
import { futureExecutionOf, paymentTermsOfXs2a } from '../../../src/standards/berlin-group/v1.3/payments/xs2a-payment-initiation.ts';
import { SPECS_DIR } from '../../support/openapi.ts';
import { pain001Document, type Pain001Block, type Pain001TestVersion } from '../../support/pain001-document.ts';

const DEBTOR = 'DE89370400440532013000';
const TODAY = new Date().toISOString().slice(0, 10);
const transfers = [
  { endToEndId: 'E2E-1', amount: '3.10', creditorName: 'Bäckerei Müller', creditorIban: 'NL91ABNA0417164300', creditorBic: 'ABNANL2A', remittance: 'Invoice 4711' },
  { endToEndId: 'E2E-2', amount: '4.2', creditorName: 'Blumen & Schmidt', creditorIban: 'FR1420041010050500013M02606' },
];
const read = (xml: string) => readPain001(Buffer.from(xml, 'utf8'));

/** The refusal `run` throws: its catalogue code, first path and text. */
function refusal(run: () => unknown): { code: string; path: string | undefined; message: string } {
  try {
    run();
  } catch (error) {
    assert.ok(isAppError(error), `not an AppError: ${String(error)}`);
    return { code: error.code, path: error.details[0]?.path, message: error.details[0]?.message ?? error.message };
  }
  assert.fail('no refusal');
}

const valid = (overrides: Partial<Parameters<typeof pain001Document>[0]> = {}) => pain001Document({ debtorIban: DEBTOR, transfers, ...overrides });
/** A valid document with one piece replaced. */
const altered = (from: string, to: string, version?: Pain001TestVersion) => {
  const xml = valid(version ? { version } : {});
  assert.ok(xml.includes(from), from);
  return xml.replace(from, to);
};

describe('Berlin Group pain.001 bodies: reading (NextGenPSD2 pain.001 products)', () => {
  for (const version of ['pain.001.001.03', 'pain.001.001.09'] as const) {
    it(`${version}: read into the members of bulkPaymentInitiation_json, the same neutral payments as that JSON bulk`, () => {
      const document = read(valid({ version }));
      assert.equal(document.version, version);
      assert.equal(document.messageId, 'MSG-4711-0001');
      assert.equal(document.paymentInformationId, 'PMT-4711-0001');
      assert.equal(document.numberOfTransactions, 2);
      assert.equal(document.controlSum, '7.30');
      const json = {
        batchBookingPreferred: false,
        debtorAccount: { iban: DEBTOR },
        requestedExecutionDate: TODAY,
        payments: [
          { endToEndIdentification: 'E2E-1', instructedAmount: { currency: 'EUR', amount: '3.10' }, creditorAccount: { iban: 'NL91ABNA0417164300' }, creditorAgent: 'ABNANL2A', creditorName: 'Bäckerei Müller', remittanceInformationUnstructured: 'Invoice 4711' },
          { endToEndIdentification: 'E2E-2', instructedAmount: { currency: 'EUR', amount: '4.2' }, creditorAccount: { iban: 'FR1420041010050500013M02606' }, creditorName: 'Blumen & Schmidt' },
        ],
      };
      const body = pain001Initiation('bulk-payments', document, TODAY);
      assert.deepEqual(body, json);
      assert.deepEqual(entriesOfXs2aBulk('sepa-credit-transfers', body as typeof json), entriesOfXs2aBulk('sepa-credit-transfers', json));
    });
  }

  it("the specification's own pain.001 example reads as a single payment (values trimmed as xs:token would be)", () => {
    const spec = parseYaml(fs.readFileSync(path.join(SPECS_DIR, 'berlin-group/psd2-api_v1.3.12-2022-07-06.yaml'), 'utf8')) as { components: { examples: Record<string, { value: string }> } };
    const document = read(spec.components.examples['pain.001.001_SCT_singleTransaction']!.value);
    const single = pain001Initiation('payments', document, TODAY);
    assert.deepEqual(single, {
      endToEndIdentification: 'RI-123456789',
      instructedAmount: { currency: 'EUR', amount: '123' },
      creditorAccount: { iban: 'DE23100120020123456789' },
      creditorName: 'Merchant123',
      remittanceInformationUnstructured: 'Ref Number Merchant-123456',
      debtorAccount: { iban: 'DE87200500001234567890' },
      requestedExecutionDate: '2017-02-15',
    });
    // The example's date in the past is refused as a JSON body's would be.
    assert.equal(refusal(() => futureExecutionOf(single as never, TODAY)).code, 'XS2A.EXECUTION_DATE_INVALID');
  });

  it('a single payment carries one credit transfer (400 PARAMETER_NOT_CONSISTENT)', () => {
    const refused = refusal(() => pain001Initiation('payments', read(valid()), TODAY));
    assert.equal(refused.code, 'XS2A.PARAMETER_NOT_CONSISTENT');
    assert.equal(refused.path, 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf');
  });

  it('attack: XXE — a document type declaring an external entity is refused before anything is read', () => {
    const xml = valid().replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace('Bäckerei Müller', '&xxe;');
    const refused = refusal(() => read(xml));
    assert.equal(refused.code, 'XS2A.PAIN001_INVALID');
    assert.match(refused.message, /document type \(DTD\)/);
    assert.doesNotMatch(refused.message, /root:/);
  });

  it('attack: billion laughs — nested entity definitions are refused, never expanded', () => {
    const entities = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('');
    const xml = valid().replace('<?xml version="1.0" encoding="UTF-8"?>', `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Document [${entities}]>`).replace('Invoice 4711', '&lol9;');
    const refused = refusal(() => read(xml));
    assert.equal(refused.code, 'XS2A.PAIN001_INVALID');
    assert.match(refused.message, /DTD/);
  });

  it('attack: an entity reference without a declaration, and character references to characters XML forbids, are refused', () => {
    assert.equal(refusal(() => read(altered('Invoice 4711', '&xxe;'))).code, 'XS2A.PAIN001_INVALID');
    const nul = refusal(() => read(altered('Invoice 4711', 'Invoice&#0;4711')));
    assert.equal(nul.code, 'XS2A.PAIN001_INVALID');
    assert.equal(nul.path, 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/RmtInf/Ustrd');
    assert.equal(refusal(() => read(altered('Invoice 4711', 'Invoice\u00014711'))).code, 'XS2A.PAIN001_INVALID');
  });

  it('malformed XML, another encoding, another namespace or root is 400 FORMAT_ERROR with a text saying so', () => {
    const cases: Array<[string, Buffer, RegExp]> = [
      ['not well-formed', Buffer.from(valid().replace('</PmtInf>', '')), /not well-formed XML/],
      ['trailing content', Buffer.from(`${valid()}<Document/>`), /not well-formed XML/],
      ['empty', Buffer.alloc(0), /not well-formed XML/],
      ['JSON', Buffer.from('{"payments": []}'), /not well-formed XML/],
      ['invalid UTF-8', Buffer.concat([Buffer.from(valid().slice(0, 200)), Buffer.from([0xc3, 0x28]), Buffer.from(valid().slice(200))]), /not UTF-8/],
      ['Latin-1 declared', Buffer.from(valid().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')), /encoding ISO-8859-1/],
      ['pain.001 of a version not read', Buffer.from(valid().replace('pain.001.001.03', 'pain.001.001.12')), /namespace urn:iso:std:iso:20022:tech:xsd:pain\.001\.001\.03 or urn:iso:std:iso:20022:tech:xsd:pain\.001\.001\.09/],
      ['no namespace', Buffer.from(valid().replace(/ xmlns="[^"]+"/, '')), /not an ISO 20022 pain\.001 Document/],
      ['a pain.008 root', Buffer.from(valid().replaceAll('CstmrCdtTrfInitn', 'CstmrDrctDbtInitn')), /CstmrCdtTrfInitn is missing/],
    ];
    for (const [name, body, text] of cases) {
      const refused = refusal(() => readPain001(body));
      assert.equal(refused.code, 'XS2A.PAIN001_INVALID', name);
      assert.match(refused.message, text, name);
    }
  });

  it('missing, repeated and misplaced elements are refused naming the element', () => {
    const cases: Array<[string, string, string]> = [
      ['<Cdtr><Nm>Bäckerei Müller</Nm></Cdtr>', '', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Cdtr'],
      ['<PmtId><EndToEndId>E2E-2</EndToEndId></PmtId>', '<PmtId></PmtId>', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[2]/PmtId/EndToEndId'],
      ['<MsgId>MSG-4711-0001</MsgId>', '', 'Document/CstmrCdtTrfInitn/GrpHdr/MsgId'],
      ['<InstdAmt Ccy="EUR">3.10</InstdAmt>', '<InstdAmt Ccy="EUR">3.10</InstdAmt><InstdAmt Ccy="EUR">3000.10</InstdAmt>', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Amt/InstdAmt'],
      ['<InstdAmt Ccy="EUR">3.10</InstdAmt>', '<InstdAmt Ccy="EUR">3.<b/>10</InstdAmt>', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Amt/InstdAmt'],
      ['<InstdAmt Ccy="EUR">3.10</InstdAmt>', '<InstdAmt>3.10</InstdAmt>', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Amt/InstdAmt/@Ccy'],
      ['<Nm>Bäckerei Müller</Nm>', '<Nm xmlns="urn:example">Bäckerei Müller</Nm>', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Cdtr/Nm'],
      ['<IBAN>NL91ABNA0417164300</IBAN>', '<IBAN>NL91 ABNA 0417 1643 00</IBAN>', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/CdtrAcct/Id/IBAN'],
      ['<Nm>Bäckerei Müller</Nm>', `<Nm>${'B'.repeat(71)}</Nm>`, 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Cdtr/Nm'],
      ['<BIC>ABNANL2A</BIC>', '<BIC>not-a-bic</BIC>', 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/CdtrAgt/FinInstnId'],
      ['<ReqdExctnDt>', '<ReqdExctnDt>tomorrow', 'Document/CstmrCdtTrfInitn/PmtInf/ReqdExctnDt'],
    ];
    for (const [from, to, path] of cases) {
      const refused = refusal(() => pain001Initiation('bulk-payments', read(altered(from, to)), TODAY));
      assert.equal(refused.code, 'XS2A.PAIN001_INVALID', `${to}: ${refused.message}`);
      assert.equal(refused.path, path, `${to}: ${refused.message}`);
    }
  });

  it('hostile numbers: huge, negative, exponent and over-precise amounts and counts are refused as malformed', () => {
    const huge = '9'.repeat(100_000);
    for (const amount of ['-3.10', '3.1e2', '+3.10', '.5', '3.123456', '1234567890123456789', 'NaN', huge]) {
      const refused = refusal(() => pain001Initiation('bulk-payments', read(valid({ transfers: [{ ...transfers[0]!, amount }], controlSum: null })), TODAY));
      assert.equal(refused.code, 'XS2A.PAIN001_INVALID', amount.slice(0, 20));
      assert.equal(refused.path, 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Amt/InstdAmt', amount.slice(0, 20));
    }
    for (const count of [huge, '-1', '2.0']) assert.equal(refusal(() => read(valid({ numberOfTransactions: count }))).code, 'XS2A.PAIN001_INVALID');
    assert.equal(refusal(() => read(valid({ controlSum: huge }))).code, 'XS2A.PAIN001_INVALID');
  });

  it('NbOfTxs and CtrlSum must count and total the credit transfers exactly (400 PARAMETER_NOT_CONSISTENT)', () => {
    const count = refusal(() => read(valid({ numberOfTransactions: '3' })));
    assert.equal(count.code, 'XS2A.PARAMETER_NOT_CONSISTENT');
    assert.equal(count.path, 'Document/CstmrCdtTrfInitn/GrpHdr/NbOfTxs');
    const sum = refusal(() => read(valid({ controlSum: '7.31' })));
    assert.equal(sum.code, 'XS2A.PARAMETER_NOT_CONSISTENT');
    assert.equal(sum.path, 'Document/CstmrCdtTrfInitn/GrpHdr/CtrlSum');
    // The same total written otherwise is the same total; no CtrlSum is none to check.
    assert.equal(read(valid({ controlSum: '7.3000' })).controlSum, '7.3000');
    assert.equal(read(valid({ controlSum: null })).controlSum, undefined);
  });

  it('what the bank does not offer is 400 PARAMETER_NOT_SUPPORTED naming the element', () => {
    const block = 'Document/CstmrCdtTrfInitn/PmtInf';
    const cases: Array<[string, string, string, Pain001TestVersion?]> = [
      ['<PmtMtd>TRF</PmtMtd>', '<PmtMtd>CHK</PmtMtd>', `${block}/PmtMtd`],
      ['<IBAN>NL91ABNA0417164300</IBAN>', '<Othr><Id>12345678</Id></Othr>', `${block}/CdtTrfTxInf[1]/CdtrAcct/Id`],
      ['<Ustrd>Invoice 4711</Ustrd>', '<Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd>', `${block}/CdtTrfTxInf[1]/RmtInf/Strd`],
      ['<Ustrd>Invoice 4711</Ustrd>', '<Ustrd>Invoice</Ustrd><Ustrd>4711</Ustrd>', `${block}/CdtTrfTxInf[1]/RmtInf/Ustrd`],
      ['<InstdAmt Ccy="EUR">3.10</InstdAmt>', '<EqvtAmt><Amt Ccy="EUR">3.10</Amt><CcyOfTrf>USD</CcyOfTrf></EqvtAmt>', `${block}/CdtTrfTxInf[1]/Amt/EqvtAmt`],
      [`<Dt>${TODAY}</Dt>`, `<DtTm>${TODAY}T10:00:00</DtTm>`, `${block}/ReqdExctnDt/DtTm`, 'pain.001.001.09'],
    ];
    for (const [from, to, path, version] of cases) {
      const refused = refusal(() => read(altered(from, to, version)));
      assert.equal(refused.code, 'XS2A.PARAMETER_NOT_SUPPORTED', `${to}: ${refused.message}`);
      assert.equal(refused.path, path, to);
    }
  });

  describe('several payment information blocks (PmtInf)', () => {
    const OTHER = 'NL91ABNA0417164300';
    const third = { endToEndId: 'E2E-3', amount: '1.05', creditorName: 'Kiosk Ost', creditorIban: 'FR1420041010050500013M02606' };
    const twoBlocks = (block: Partial<Pain001Block> = {}) => read(pain001Document({ debtorIban: DEBTOR, transfers, moreBlocks: [{ debtorIban: DEBTOR, transfers: [third], paymentInformationId: 'PMT-B', ...block }] }));

    it('a bulk of one debtor account: every block read, the transfers in document order, each block counted and totalled on its own', () => {
      const document = twoBlocks();
      assert.deepEqual(document.blocks.map((block) => [block.paymentInformationId, block.numberOfTransactions, block.debtorAccount.iban, block.requestedExecutionDate]), [
        ['PMT-4711-0001', 2, DEBTOR, TODAY],
        ['PMT-B', 1, DEBTOR, TODAY],
      ]);
      assert.equal(document.numberOfTransactions, 3);
      const body = pain001Initiation('bulk-payments', document, TODAY) as { payments: Array<{ endToEndIdentification: string }>; debtorAccount: unknown };
      assert.deepEqual(body.payments.map((payment) => payment.endToEndIdentification), ['E2E-1', 'E2E-2', 'E2E-3']);
      assert.deepEqual(body.debtorAccount, { iban: DEBTOR });
      // A block's own NbOfTxs must count its own transfers.
      const xml = pain001Document({ debtorIban: DEBTOR, transfers, moreBlocks: [{ debtorIban: DEBTOR, transfers: [third] }] }).replace('<NbOfTxs>1</NbOfTxs>', '<NbOfTxs>2</NbOfTxs>');
      const count = refusal(() => read(xml));
      assert.equal(count.code, 'XS2A.PARAMETER_NOT_CONSISTENT');
      assert.equal(count.path, 'Document/CstmrCdtTrfInitn/PmtInf[2]/NbOfTxs');
    });

    it('a block debiting another account is 400 PARAMETER_NOT_SUPPORTED naming its DbtrAcct; a block executed another day EXECUTION_DATE_INVALID', () => {
      const other = refusal(() => pain001Initiation('bulk-payments', twoBlocks({ debtorIban: OTHER }), TODAY));
      assert.equal(other.code, 'XS2A.PARAMETER_NOT_SUPPORTED');
      assert.equal(other.path, 'Document/CstmrCdtTrfInitn/PmtInf[2]/DbtrAcct/Id/IBAN');
      assert.match(other.message, /debited from one account.*block 2 names another/);
      const currency = refusal(() => pain001Initiation('bulk-payments', twoBlocks({ debtorCurrency: 'USD' }), TODAY));
      assert.equal(currency.code, 'XS2A.PARAMETER_NOT_SUPPORTED');
      assert.equal(currency.path, 'Document/CstmrCdtTrfInitn/PmtInf[2]/DbtrAcct/Ccy');
      const later = refusal(() => pain001Initiation('bulk-payments', twoBlocks({ executionDate: '2099-01-01' }), TODAY));
      assert.equal(later.code, 'XS2A.EXECUTION_DATE_INVALID');
      assert.equal(later.path, 'Document/CstmrCdtTrfInitn/PmtInf[2]/ReqdExctnDt');
    });

    it('a single payment is one block: several are 400 PARAMETER_NOT_CONSISTENT', () => {
      const refused = refusal(() => pain001Initiation('payments', twoBlocks(), TODAY));
      assert.equal(refused.code, 'XS2A.PARAMETER_NOT_CONSISTENT');
      assert.equal(refused.path, 'Document/CstmrCdtTrfInitn/PmtInf[2]');
    });

    it('a refusal about a payment names it in its own block', () => {
      assert.equal(pain001PathOf('bulk-payments', 'payments[2].creditorName', undefined, [2, 1]), 'Document/CstmrCdtTrfInitn/PmtInf[2]/CdtTrfTxInf[1]/Cdtr/Nm');
      assert.equal(pain001PathOf('bulk-payments', 'payments[1].instructedAmount.currency', undefined, [2, 1]), 'Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[2]/Amt/InstdAmt/@Ccy');
      assert.equal(pain001PathOf('bulk-payments', 'debtorAccount.iban', undefined, [2, 1]), 'Document/CstmrCdtTrfInitn/PmtInf[1]/DbtrAcct/Id/IBAN');
      const gbp = twoBlocks();
      const refused = refusal(() => {
        try {
          entriesOfXs2aBulk('sepa-credit-transfers', { debtorAccount: { iban: DEBTOR }, payments: [...gbp.payments.slice(0, 2), { ...gbp.payments[2]!, instructedAmount: { currency: 'GBP', amount: '1.05' } }] });
        } catch (error) {
          throw inPain001Terms('bulk-payments', error, layoutOf(gbp));
        }
      });
      assert.equal(refused.path, 'Document/CstmrCdtTrfInitn/PmtInf[2]/CdtTrfTxInf[1]/Amt/InstdAmt/@Ccy');
    });
  });

  it("the JSON mapping's refusals name the pain.001 element they are about", () => {
    assert.equal(pain001PathOf('bulk-payments', 'payments[1].creditorName'), 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[2]/Cdtr/Nm');
    assert.equal(pain001PathOf('bulk-payments', 'instructedAmount.currency', 0), 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Amt/InstdAmt/@Ccy');
    assert.equal(pain001PathOf('payments', 'instructedAmount.currency'), 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Amt/InstdAmt/@Ccy');
    assert.equal(pain001PathOf('bulk-payments', 'requestedExecutionDate'), 'Document/CstmrCdtTrfInitn/PmtInf/ReqdExctnDt');
    const sepaInGbp = refusal(() => {
      try {
        paymentTermsOfXs2a('sepa-credit-transfers', { instructedAmount: { currency: 'GBP', amount: '1.00' }, creditorAccount: { iban: 'NL91ABNA0417164300' }, creditorName: 'x' });
      } catch (error) {
        throw inPain001Terms('payments', error);
      }
    });
    assert.equal(sepaInGbp.code, 'XS2A.PARAMETER_NOT_CONSISTENT');
    assert.equal(sepaInGbp.path, 'Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[1]/Amt/InstdAmt/@Ccy');
  });
});

describe('Berlin Group pain.002 status reports', () => {
  const children = (parent: Element, name: string) => Array.from(parent.getElementsByTagName(name));
  const textOf = (parent: Element, name: string) => children(parent, name).map((element) => element.textContent);
  const reference = { messageId: 'MSG-<&>-1', numberOfTransactions: 2, controlSum: '7.30', paymentInformationId: 'PMT-1', endToEndIds: ['E2E-1', 'E2E-2'] };

  for (const [version, report] of [['pain.001.001.03', 'pain.002.001.03'], ['pain.001.001.09', 'pain.002.001.10']] as const) {
    it(`${version} is answered as ${report}: group, payment information and each transfer's status`, () => {
      const xml = pain002Of({ ...reference, version }, 'PART', ['ACSC', 'RJCT'], new Date('2025-03-03T10:00:00Z'));
      const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
      assert.equal(root.namespaceURI, `urn:iso:std:iso:20022:tech:xsd:${report}`);
      assert.equal(root.localName, 'Document');
      assert.match(textOf(root, 'MsgId')[0]!, /^[0-9a-f]{32}$/);
      assert.deepEqual(textOf(root, 'CreDtTm'), ['2025-03-03T10:00:00.000Z']);
      assert.deepEqual(textOf(root, 'OrgnlMsgId'), ['MSG-<&>-1']);
      assert.deepEqual(textOf(root, 'OrgnlMsgNmId'), [version]);
      assert.deepEqual(textOf(root, 'OrgnlNbOfTxs'), ['2', '2']);
      assert.deepEqual(textOf(root, 'OrgnlCtrlSum'), ['7.30']);
      assert.deepEqual(textOf(root, 'GrpSts'), ['PART']);
      assert.deepEqual(textOf(root, 'PmtInfSts'), ['PART']);
      assert.deepEqual(textOf(root, 'OrgnlEndToEndId'), ['E2E-1', 'E2E-2']);
      assert.deepEqual(textOf(root, 'TxSts'), ['ACSC', 'RJCT']);
      assert.ok(xml.includes('<OrgnlMsgId>MSG-&lt;&amp;&gt;-1</OrgnlMsgId>'), 'values are escaped');
    });
  }

  it('a document of several blocks: each block with its own transfers, and its status from theirs', () => {
    const blocks = [{ paymentInformationId: 'PMT-A', numberOfTransactions: 2 }, { paymentInformationId: 'PMT-B', numberOfTransactions: 1 }];
    const xml = pain002Of({ ...reference, version: 'pain.001.001.09', numberOfTransactions: 3, endToEndIds: ['E2E-1', 'E2E-2', 'E2E-3'], blocks }, 'PART', ['ACSC', 'ACSC', 'RJCT'], new Date());
    const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
    const [first, second] = children(root, 'OrgnlPmtInfAndSts');
    assert.deepEqual(textOf(root, 'GrpSts'), ['PART']);
    assert.deepEqual([textOf(first!, 'OrgnlPmtInfId'), textOf(first!, 'OrgnlNbOfTxs'), textOf(first!, 'PmtInfSts'), textOf(first!, 'OrgnlEndToEndId'), textOf(first!, 'TxSts')], [['PMT-A'], ['2'], ['ACSC'], ['E2E-1', 'E2E-2'], ['ACSC', 'ACSC']]);
    assert.deepEqual([textOf(second!, 'OrgnlPmtInfId'), textOf(second!, 'OrgnlNbOfTxs'), textOf(second!, 'PmtInfSts'), textOf(second!, 'OrgnlEndToEndId'), textOf(second!, 'TxSts')], [['PMT-B'], ['1'], ['RJCT'], ['E2E-3'], ['RJCT']]);
    // Before the payments exist every block reads the bulk's status.
    const received = new DOMParser().parseFromString(pain002Of({ ...reference, version: 'pain.001.001.09', numberOfTransactions: 3, blocks }, 'RCVD', undefined, new Date()), 'text/xml').documentElement!;
    assert.deepEqual(textOf(received, 'PmtInfSts'), ['RCVD', 'RCVD']);
    assert.deepEqual(children(received, 'TxInfAndSts'), []);
  });

  it('a payment the TPP cancelled reads RJCT for reason DS02 (the group status codes have no CANC); before execution no transfer is listed', () => {
    const xml = pain002Of({ ...reference, version: 'pain.001.001.03' }, 'CANC', undefined, new Date());
    const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
    assert.deepEqual(textOf(root, 'GrpSts'), ['RJCT']);
    assert.deepEqual(textOf(root, 'Cd'), ['DS02', 'DS02']);
    assert.deepEqual(children(root, 'TxInfAndSts'), []);
  });
});
