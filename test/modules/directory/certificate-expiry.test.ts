import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { x509 } from '../../../src/platform/tls/index.ts';
import type { SandboxQtsp } from '../../../src/modules/directory/index.ts';
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
      await sql<{ payload: { daysLeft: number } }>`SELECT payload FROM outbox_events WHERE subject LIKE ${`tpp-certificate.${serial}.%`} ORDER BY seq`.execute(database.db)
    ).rows.map((row) => row.payload.daysLeft);

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
    assert.deepEqual(await warningsOf(serial), [30, 7, 1]);
    assert.deepEqual(await warningsOf(signing.serialNumber.toLowerCase()), [], 'a revoked certificate is not renewed: no warning');
  });

  it('a certificate first seen with a day left is told once, with a day, not also with a week and a month', async () => {
    const tpp = await onboardTestTpp(database.db, qtsp, { organisationName: 'Late Renewer Ltd' });
    const transport = new x509.X509Certificate(tpp.transport.certificatePem);
    await directoryOf(database.db, cache).warnOfExpiringCertificates(new Date(transport.notAfter.getTime() - 0.5 * DAY));
    assert.deepEqual(await warningsOf(transport.serialNumber.toLowerCase()), [1]);
  });
});
