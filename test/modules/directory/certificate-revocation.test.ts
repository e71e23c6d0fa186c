import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, id_ce_cRLNumber } from '@peculiar/asn1-x509';
import { DirectoryErrors, type SandboxQtsp } from '../../../src/modules/directory/index.ts';
import { RedisCache } from '../../../src/platform/cache/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { x509 } from '../../../src/platform/tls/index.ts';
import { DIALECTS, openTestCache, openTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../../support/backends.ts';
import { onboardTestTpp, openssl } from './directory-fixtures.ts';
import { directoryOf } from '../../support/directory-module.ts';

function crlNumberOf(crl: x509.X509Crl): number {
  const extension = crl.getExtension(id_ce_cRLNumber);
  assert.ok(extension, 'the CRL carries a cRLNumber (RFC 5280 §5.2.3)');
  return AsnConvert.parse(extension.value, CRLNumber).value;
}

for (const dialect of DIALECTS) {
  describe(`certificate revocation and the CRL (${dialect})`, () => {
    let database: TestDatabase;
    const cache = openTestCache();
    let qtsp: SandboxQtsp;

    before(async () => {
      database = await openTestDatabase(dialect);
      qtsp = await directoryOf(database.db).loadOrCreateSandboxQtsp();
    });
    after(async () => {
      await cache.close();
      await database?.close();
    });

    it('lists the revoked serial with its reason, signed by the issuing CA, and its number increases', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const revoked = new x509.X509Certificate(tpp.transport.certificatePem);
      const kept = new x509.X509Certificate(tpp.signing.certificatePem);

      const before = new x509.X509Crl((await directoryOf(database.db).buildCrl(qtsp)).der);
      assert.equal(before.entries.length, 0);

      await directoryOf(database.db, cache).revokeCertificate(revoked.serialNumber, 'keyCompromise');
      const built = await directoryOf(database.db).buildCrl(qtsp);
      const crl = new x509.X509Crl(built.der);
      assert.equal(await crl.verify({ publicKey: qtsp.issuingCertificate }), true);
      assert.equal(crl.issuer, qtsp.issuingCertificate.subject);
      assert.deepEqual(crl.entries.map((entry) => entry.serialNumber), [revoked.serialNumber]);
      assert.equal(crl.entries[0]!.reason, x509.X509CrlReason.keyCompromise);
      assert.ok(!crl.entries.some((entry) => entry.serialNumber === kept.serialNumber));
      assert.ok(crl.nextUpdate && crl.nextUpdate > crl.thisUpdate, 'nextUpdate after thisUpdate (RFC 5280 §5.1.2.5)');

      assert.ok(crlNumberOf(crl) > crlNumberOf(before));
      assert.equal(BigInt(crlNumberOf(crl)), built.crlNumber);
      const next = await directoryOf(database.db).buildCrl(qtsp);
      assert.ok(next.crlNumber > built.crlNumber);

      const text = await openssl(['crl', '-inform', 'DER', '-noout', '-text'], new Uint8Array(built.der));
      assert.match(text, /X509v3 CRL Number:\s+\d+/);
      assert.ok(text.toUpperCase().includes(revoked.serialNumber.toUpperCase()));
      assert.match(text, /Key Compromise/);
    });

    it('keeps the first revocation when a certificate is revoked twice', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const serial = new x509.X509Certificate(tpp.signing.certificatePem).serialNumber;
      await directoryOf(database.db, cache).revokeCertificate(serial, 'superseded', new Date('2030-01-01T00:00:00Z'));
      await directoryOf(database.db, cache).revokeCertificate(serial, 'keyCompromise');
      const row = await database.db.selectFrom('directory_certificates').select(['revoked_at', 'revocation_reason']).where('serial_number', '=', serial).executeTakeFirstOrThrow();
      assert.equal(row.revocation_reason, 'superseded');
      assert.equal(row.revoked_at?.toISOString(), '2030-01-01T00:00:00.000Z');
    });

    it('publishes a revocation in the next CRL at every instance sharing the cache, and reuses the CRL while nothing changes', async () => {
      // Two instances: the same database, two connections to one shared cache.
      const keyPrefix = `crl-instances-${randomUUID()}:`;
      const instanceA = new RedisCache(TEST_REDIS_URL, { keyPrefix });
      const instanceB = new RedisCache(TEST_REDIS_URL, { keyPrefix });
      try {
        const tpp = await onboardTestTpp(database.db, qtsp);
        const serial = new x509.X509Certificate(tpp.transport.certificatePem).serialNumber;
        const first = new x509.X509Crl(await directoryOf(database.db, instanceB).publishedCrl(qtsp));
        assert.ok(!first.entries.some((entry) => entry.serialNumber === serial));
        const again = new x509.X509Crl(await directoryOf(database.db, instanceA).publishedCrl(qtsp));
        assert.equal(crlNumberOf(again), crlNumberOf(first), 'the same CRL while nothing changed');

        await directoryOf(database.db, instanceA).revokeCertificate(serial, 'keyCompromise');
        const after = new x509.X509Crl(await directoryOf(database.db, instanceB).publishedCrl(qtsp));
        assert.ok(after.entries.some((entry) => entry.serialNumber === serial), 'the revoked serial is listed at once');
        assert.ok(crlNumberOf(after) > crlNumberOf(first));
        assert.equal(await after.verify({ publicKey: qtsp.issuingCertificate }), true);

        // An organisation's status does not change the CRL, but a new one is no harm either.
        await directoryOf(database.db, instanceB).setOrganisationStatus(tpp.organisationId, 'Suspended');
        const later = new x509.X509Crl(await directoryOf(database.db, instanceA).publishedCrl(qtsp));
        assert.ok(later.entries.some((entry) => entry.serialNumber === serial));
      } finally {
        await instanceA.close();
        await instanceB.close();
      }
    });

    it('refuses to revoke an unknown serial number', async () => {
      await assert.rejects(directoryOf(database.db, cache).revokeCertificate('0badc0de'), (error) => isAppError(error) && error.code === DirectoryErrors.CERTIFICATE_NOT_FOUND.code);
    });
  });
}
