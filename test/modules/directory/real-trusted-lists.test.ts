import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { createTrustedListsModule, fileTrustedListSource, type TrustedListsApi } from '../../../src/modules/directory/index.ts';
import { readListOfTrustedLists, verifyTrustedList } from '../../../src/modules/directory/trust-lists/index.ts';
import { MemoryCache } from '../../../src/platform/cache/index.ts';
import { openTestDatabase, type TestDatabase } from '../../support/backends.ts';

/** Real lists as the European Commission and three member states published them (test/fixtures/trusted-lists/eu-2023/README.md). */
const LISTS = path.join(import.meta.dirname, '../../fixtures/trusted-lists/eu-2023');
const LOTL = path.join(LISTS, 'eu-lotl.xml');
const TSL = 'http://uri.etsi.org/02231/v2#';

/**
 * The certificates allowed to sign the LOTL, as the Official Journal of the EU publishes them: the
 * LOTL announces the same set in its pointer to itself, read here without trusting it (the
 * signature is then checked against them like any configured set).
 */
async function announcedLotlSigners(): Promise<string[]> {
  const document = new DOMParser().parseFromString(await readFile(LOTL, 'utf8'), 'text/xml');
  const self = Array.from(document.getElementsByTagNameNS(TSL, 'OtherTSLPointer')).find((pointer) => /\/EUlistofthelists$/.test(pointer.getElementsByTagNameNS(TSL, 'TSLType')[0]?.textContent?.trim() ?? ''));
  assert.ok(self, 'the LOTL points at itself');
  return Array.from(self.getElementsByTagNameNS(TSL, 'X509Certificate')).map((element) => `-----BEGIN CERTIFICATE-----\n${element.textContent!.replace(/\s+/g, '').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
}

/**
 * The EU trusted lists as published: the List of Trusted Lists (sequence 332) and the Austrian,
 * Danish and Swedish lists it pointed at, verbatim, with their XAdES signatures by the Commission
 * and the member states' scheme operators. Proves the reader and xml-crypto's canonicalisation on
 * the real documents, not only on lists the tests sign themselves.
 */
describe('the real EU List of Trusted Lists and national lists (PostgreSQL)', () => {
  let database: TestDatabase;
  let trustedLists: TrustedListsApi;
  let lotlSigners: string[];
  let files: string;

  before(async () => {
    database = await openTestDatabase('postgres');
    trustedLists = createTrustedListsModule({ db: database.db, cache: new MemoryCache() });
    lotlSigners = await announcedLotlSigners();
    files = await mkdtemp(path.join(tmpdir(), 'portico-real-lists-'));
  });
  after(async () => {
    await database?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  it('verifies the LOTL with the signers the Official Journal announces and reads its pointers to every national XML list', async () => {
    assert.equal(lotlSigners.length, 6);
    const { document } = verifyTrustedList(await readFile(LOTL, 'utf8'), lotlSigners);
    const pointers = readListOfTrustedLists(document);
    // The EEA's 30 lists and the United Kingdom's last one; its pointer to itself is not a list to import.
    assert.deepEqual(pointers.map((pointer) => pointer.territory), ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'EL', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'UK']);
    const austria = pointers.find((pointer) => pointer.territory === 'AT')!;
    assert.equal(austria.location, 'https://www.signatur.rtr.at/currenttl.xml');
    assert.ok(austria.signerPems.length > 0);
  });

  it('imports the Austrian, Danish and Swedish lists, each verified with the signers the LOTL names for it; the lists not at hand are reported unavailable', async () => {
    const outcomes = await trustedLists.importLists(fileTrustedListSource(LOTL, LISTS), lotlSigners);
    const imported = outcomes.filter((outcome) => outcome.outcome !== 'unavailable');
    assert.deepEqual(imported, [
      { territory: 'AT', outcome: 'imported', sequenceNumber: 63, services: 93 },
      { territory: 'DK', outcome: 'imported', sequenceNumber: 33, services: 13 },
      { territory: 'SE', outcome: 'imported', sequenceNumber: 48, services: 7 },
    ]);
    assert.equal(outcomes.filter((outcome) => outcome.outcome === 'unavailable').length, 28);
    const held = new Map((await trustedLists.heldLists()).map((list) => [list.territory, list]));
    assert.deepEqual([held.get('AT')?.serviceCount, held.get('AT')?.issuedAt.toISOString()], [93, '2023-09-21T18:59:08.000Z']);
    const services = await database.db.selectFrom('trusted_services').select(['territory', 'uses']).execute();
    const qualifiedFor = (territory: string, use: string) => services.filter((service) => service.territory === territory && JSON.stringify(service.uses).includes(use)).length;
    assert.deepEqual([qualifiedFor('AT', 'QWAC'), qualifiedFor('AT', 'QSealC'), qualifiedFor('SE', 'QWAC'), qualifiedFor('SE', 'QSealC')], [17, 28, 0, 3]);
  });

  it('attack: a real list with one CA\'s service status changed after signing is refused, and the list held stays', async () => {
    await copyFile(LOTL, path.join(files, 'eu-lotl.xml'));
    const austrian = await readFile(path.join(LISTS, 'AT.xml'), 'utf8');
    const withdrawn = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn';
    const granted = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
    const at = austrian.indexOf(withdrawn);
    assert.ok(at > 0, 'the Austrian list has a withdrawn service');
    await writeFile(path.join(files, 'AT.xml'), austrian.slice(0, at) + granted + austrian.slice(at + withdrawn.length));
    const outcomes = await trustedLists.importLists(fileTrustedListSource(path.join(files, 'eu-lotl.xml'), files), lotlSigners);
    const austria = outcomes.find((outcome) => outcome.territory === 'AT')!;
    assert.equal(austria.outcome, 'refused');
    assert.match(austria.problem ?? '', /does not verify/);
    assert.equal((await trustedLists.heldLists()).find((list) => list.territory === 'AT')?.sequenceNumber, 63);
  });

  it('attack: the real LOTL checked against certificates it was not signed with (a member state\'s) imports nothing', async () => {
    const { document } = verifyTrustedList(await readFile(LOTL, 'utf8'), lotlSigners);
    const austrianSigners = readListOfTrustedLists(document).find((pointer) => pointer.territory === 'AT')!.signerPems;
    await assert.rejects(trustedLists.importLists(fileTrustedListSource(LOTL, LISTS), austrianSigners), /does not verify/);
  });
});
