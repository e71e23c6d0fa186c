import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readListOfTrustedLists, readTrustedList, statusAt, verifyTrustedList } from '../../../src/modules/directory/trust-lists/index.ts';
import { createTestCa, type TestCa } from '../../support/test-pki.ts';
import { createListSigner, listOfTrustedListsXml, nationalListXml, signList, type ListSigner } from '../../support/trusted-lists.ts';

const DAY = 86_400_000;

describe('ETSI TS 119 612 trusted lists: signatures and content', () => {
  let lotlSigner: ListSigner;
  let germanSigner: ListSigner;
  let qwacCa: TestCa;
  let withdrawnCa: TestCa;
  let germanList: string;

  before(async () => {
    [lotlSigner, germanSigner] = await Promise.all([createListSigner('EU LOTL signer'), createListSigner('DE TL signer')]);
    [qwacCa, withdrawnCa] = await Promise.all([createTestCa('German QWAC CA'), createTestCa('Withdrawn Seal CA')]);
    germanList = signList(
      nationalListXml('DE', [
        { provider: 'Qualified Trust GmbH', name: 'QWAC CA', certificatePem: qwacCa.certificate.toString('pem'), uses: ['QWAC'], statuses: [{ status: 'granted', from: new Date(Date.now() - 400 * DAY) }] },
        {
          provider: 'Qualified Trust GmbH',
          name: 'Seal CA',
          certificatePem: withdrawnCa.certificate.toString('pem'),
          uses: ['QSealC'],
          statuses: [
            { status: 'accredited', from: new Date('2015-01-01T00:00:00Z') },
            { status: 'granted', from: new Date('2016-07-01T00:00:00Z') },
            { status: 'withdrawn', from: new Date(Date.now() - 10 * DAY) },
          ],
        },
      ], 117),
      germanSigner,
    );
  });

  it("reads the List of Trusted Lists' pointers to the XML lists, with who may sign each", () => {
    const lotl = signList(listOfTrustedListsXml([{ territory: 'DE', location: 'https://tl.example/de.xml', signerPems: [germanSigner.certificatePem] }, { territory: 'FR', location: 'https://tl.example/fr.xml', signerPems: [lotlSigner.certificatePem] }]), lotlSigner);
    const { document, signerPem } = verifyTrustedList(lotl, [lotlSigner.certificatePem]);
    assert.equal(signerPem, lotlSigner.certificatePem);
    const pointers = readListOfTrustedLists(document);
    assert.deepEqual(pointers.map((pointer) => [pointer.territory, pointer.location]), [
      ['DE', 'https://tl.example/de.xml'],
      ['FR', 'https://tl.example/fr.xml'],
    ]);
    assert.deepEqual(pointers[0]!.signerPems, [germanSigner.certificatePem]);
  });

  it('reads a national list: each qualified CA, what it may issue, and its status history', () => {
    const { document, signerPem } = verifyTrustedList(germanList, [lotlSigner.certificatePem, germanSigner.certificatePem]);
    const list = readTrustedList(document, 'https://tl.example/de.xml', signerPem);
    assert.deepEqual([list.territory, list.sequenceNumber, list.signerPem === germanSigner.certificatePem], ['DE', 117, true]);
    assert.deepEqual(
      list.services.map((service) => [service.serviceName, service.providerName, service.serviceType, service.uses, service.statuses.map((period) => period.status)]),
      [
        ['QWAC CA', 'Qualified Trust GmbH', 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC', ['QWAC'], ['granted']],
        ['Seal CA', 'Qualified Trust GmbH', 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC', ['QSealC'], ['accredited', 'granted', 'withdrawn']],
      ],
    );
    const seal = list.services[1]!;
    assert.equal(seal.certificatePem, withdrawnCa.certificate.toString('pem'));
    assert.equal(statusAt(seal, new Date('2014-06-01T00:00:00Z')), undefined);
    assert.equal(statusAt(seal, new Date('2016-01-01T00:00:00Z')), 'accredited');
    assert.equal(statusAt(seal, new Date(Date.now() - 20 * DAY)), 'granted');
    assert.equal(statusAt(seal, new Date()), 'withdrawn');
  });

  it('attack: a list signed by a key the LOTL does not name for it is refused', async () => {
    const impostor = await createListSigner('DE TL signer');
    const forged = signList(nationalListXml('DE', []), impostor);
    assert.throws(() => verifyTrustedList(forged, [germanSigner.certificatePem]), /does not verify with any certificate allowed to sign it/);
  });

  it('attack: a signed list altered afterwards (a withdrawn CA turned granted, a CA added) is refused', () => {
    const regranted = germanList.replace(/(Svcstatus\/)withdrawn/, '$1granted');
    assert.notEqual(regranted, germanList);
    assert.throws(() => verifyTrustedList(regranted, [germanSigner.certificatePem]), /does not verify/);
    const added = germanList.replace('</TrustServiceProviderList>', `<TrustServiceProvider><TSPInformation><TSPName><Name xml:lang="en">Evil</Name></TSPName></TSPInformation></TrustServiceProvider></TrustServiceProviderList>`);
    assert.throws(() => verifyTrustedList(added, [germanSigner.certificatePem]), /does not verify/);
  });

  it('attack: a second signature, a document type (entity expansion), or something else than a trusted list is refused', () => {
    const twice = germanList.replace('</TrustServiceStatusList>', `${/<ds:Signature[\s\S]*<\/ds:Signature>/.exec(germanList)![0]}</TrustServiceStatusList>`);
    assert.throws(() => verifyTrustedList(twice, [germanSigner.certificatePem]), /carries 2 signatures/);
    const doctype = germanList.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>');
    assert.throws(() => verifyTrustedList(doctype, [germanSigner.certificatePem]), /document type|not well-formed/);
    assert.throws(() => verifyTrustedList('<html/>', [germanSigner.certificatePem]), /not an ETSI TS 119 612 TrustServiceStatusList/);
    assert.throws(() => verifyTrustedList('<TrustServiceStatusList', [germanSigner.certificatePem]), /not well-formed XML/);
  });
});
