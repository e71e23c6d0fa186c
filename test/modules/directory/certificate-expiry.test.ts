import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { x509 } from '../../../src/platform/tls/index.ts';
import { createDatabase, type DatabaseHandle } from '../../../src/platform/db/index.ts';
import type { CertificateExpiringPayload, SandboxQtsp } from '../../../src/modules/directory/index.ts';
import { openTestCache, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { directoryOf } from '../../support/directory-module.ts';
import { onboardTestTpp } from './directory-fixtures.ts';

const DAY = 86_400_000;

describe('expiry warnings for the certificates the sandbox QTSP issued (postgres)', () => {
  let database: TestDatabase;
  const cache = openTestCache('expiry');
  let qtsp: SandboxQtsp;

  before(async () => {
    database = await openTestDatabase('postgres');
    qtsp = await directoryOf(database.db).loadOrCreateSandboxQtsp();
  });
  after(async () => {
    await cache.close();
    await database?.close();
  });

  const warningsOf = async (serial: string) =>
    (
      await sql<{ event_version: number; payload: CertificateExpiringPayload }>`SELECT event_version, payload FROM outbox_events WHERE subject LIKE ${`tpp-certificate.${serial}.%`} ORDER BY seq`.execute(database.db)
    ).rows;
  const thresholdsOf = async (serial: string) => (await warningsOf(serial)).map((row) => row.payload.withinDays);

  it('warns once at 30, 7 and 1 days before expiry, never twice for a threshold, and not for a revoked certificate', async () => {
    const tpp = await onboardTestTpp(database.db, qtsp);
    const directory = directoryOf(database.db, cache);
    const transport = new x509.X509Certificate(tpp.transport.certificatePem);
    const signing = new x509.X509Certificate(tpp.signing.certificatePem);
    const serial = transport.serialNumber.toLowerCase();
    await directory.revokeCertificate(signing.serialNumber, 'superseded');
    const before = (days: number) => new Date(transport.notAfter.getTime() - days * DAY);

    assert.deepEqual(await directory.warnOfExpiringCertificates(before(31)), []);
    const month = await directory.warnOfExpiringCertificates(before(29));
    assert.deepEqual(month.filter((warning) => warning.serialNumber === serial), [{ serialNumber: serial, organisationId: tpp.organisationId, daysLeft: 30 }]);
    assert.deepEqual(await directory.warnOfExpiringCertificates(before(28)), [], 'the 30-day warning is given once');
    await directory.warnOfExpiringCertificates(before(6));
    await directory.warnOfExpiringCertificates(before(0.5));
    assert.deepEqual(await directory.warnOfExpiringCertificates(before(0.4)), []);
    assert.deepEqual(await thresholdsOf(serial), [30, 7, 1]);
    assert.deepEqual(await thresholdsOf(signing.serialNumber.toLowerCase()), [], 'a revoked certificate is not renewed: no warning');
  });

  it("says which certificate, its key's id for a signing certificate, when it expires and the whole days left (rounded up)", async () => {
    const tpp = await onboardTestTpp(database.db, qtsp, { organisationName: 'Key Rotator Ltd' });
    const transport = new x509.X509Certificate(tpp.transport.certificatePem);
    const signing = new x509.X509Certificate(tpp.signing.certificatePem);
    // 29 days and 12 hours before the transport certificate expires (the signing one expires with it, give or take a moment).
    await directoryOf(database.db, cache).warnOfExpiringCertificates(new Date(transport.notAfter.getTime() - 29.5 * DAY));
    const [transportWarning] = await warningsOf(transport.serialNumber.toLowerCase());
    const [signingWarning] = await warningsOf(signing.serialNumber.toLowerCase());
    assert.equal(transportWarning?.event_version, 2);
    assert.deepEqual(transportWarning?.payload, {
      serialNumber: transport.serialNumber.toLowerCase(),
      organisationId: tpp.organisationId,
      softwareId: tpp.softwareId,
      usage: 'transport',
      kid: null,
      notAfter: transport.notAfter.toISOString(),
      withinDays: 30,
      daysRemaining: 30,
    });
    assert.equal(signingWarning?.payload.usage, 'signing');
    assert.equal(signingWarning?.payload.kid, tpp.signing.kid, "the kid of the key in the software's JWKS");
  });

  it('a certificate first seen with a day left is told once, with a day, not also with a week and a month', async () => {
    const tpp = await onboardTestTpp(database.db, qtsp, { organisationName: 'Late Renewer Ltd' });
    const transport = new x509.X509Certificate(tpp.transport.certificatePem);
    await directoryOf(database.db, cache).warnOfExpiringCertificates(new Date(transport.notAfter.getTime() - 0.5 * DAY));
    assert.deepEqual(await thresholdsOf(transport.serialNumber.toLowerCase()), [1]);
  });

  it('two worker instances running the job at once warn of each threshold once', async () => {
    const tpp = await onboardTestTpp(database.db, qtsp, { organisationName: 'Raced Ltd' });
    const transport = new x509.X509Certificate(tpp.transport.certificatePem);
    const serials = [transport.serialNumber, new x509.X509Certificate(tpp.signing.certificatePem).serialNumber].map((serial) => serial.toLowerCase());
    // A second instance: its own connection pool and directory module over the same database.
    const second: DatabaseHandle = await createDatabase({ url: database.url!, poolSize: 4 });
    try {
      const instances = [directoryOf(database.db, cache), directoryOf(second.db, cache)];
      for (const days of [29, 6, 0.5]) {
        const now = new Date(transport.notAfter.getTime() - days * DAY);
        // Each instance runs the job twice over, all four at once.
        await Promise.all([...instances, ...instances].map((directory) => directory.warnOfExpiringCertificates(now)));
      }
      for (const serial of serials) assert.deepEqual(await thresholdsOf(serial), [30, 7, 1], serial);
    } finally {
      await second.close();
    }
  });
});
