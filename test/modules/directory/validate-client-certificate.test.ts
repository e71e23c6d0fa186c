import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { webcrypto } from 'node:crypto';
import { DirectoryErrors, certificateThumbprint, ID_PE_QC_STATEMENTS, type OnboardedTpp, type SandboxQtsp } from '../../../src/modules/directory/index.ts';
import { EC_P256, generateKeyPair, randomSerialNumber, x509 } from '../../../src/platform/tls/index.ts';
import { DIALECTS, openTestCache, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { assertAccepted, assertRejected, onboardTestTpp, PUBLIC_URL } from './directory-fixtures.ts';
import { directoryOf } from '../../support/directory-module.ts';

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** A certificate with the real TPP's subject and QC statements, signed by whatever key is given. */
async function lookAlike(original: x509.X509Certificate, issuer: { name: string; key: webcrypto.CryptoKey } | 'self', serialNumber = randomSerialNumber()): Promise<x509.X509Certificate> {
  const keys = await generateKeyPair(EC_P256);
  const extensions = original.extensions;
  const common = { serialNumber, notBefore: original.notBefore, notAfter: original.notAfter, signingAlgorithm: EC_P256, extensions };
  if (issuer === 'self') return x509.X509CertificateGenerator.createSelfSigned({ ...common, name: original.subjectName, keys });
  return x509.X509CertificateGenerator.create({ ...common, subject: original.subjectName, issuer: issuer.name, publicKey: keys.publicKey, signingKey: issuer.key });
}

for (const dialect of DIALECTS) {
  describe(`validateTppCertificate (${dialect})`, () => {
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

    const validate = (input: string | x509.X509Certificate, options: { now?: Date; usage?: 'transport' | 'signing' } = {}) =>
      directoryOf(database.db).validateTppCertificate(qtsp, input, options);

    it('accepts a freshly issued transport certificate and identifies the organisation', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp, { roles: ['AISP', 'CBPII'] });
      const result = await validate(tpp.transport.certificatePem);
      assertAccepted(result);
      assert.equal(result.organisation.id, tpp.organisationId);
      assert.equal(result.organisation.status, 'Active');
      assert.deepEqual(result.roles, ['AISP', 'CBPII']);
      assert.match(result.thumbprint, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(result.certificate.subjectName.getField('CN')[0], tpp.softwareId);
    });

    it('accepts the signing certificate as a seal and not as a TLS client certificate, and vice versa', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      assertAccepted(await validate(tpp.signing.certificatePem, { usage: 'signing' }));
      assertRejected(await validate(tpp.signing.certificatePem), DirectoryErrors.CERTIFICATE_USAGE_INVALID);
      assertRejected(await validate(tpp.transport.certificatePem, { usage: 'signing' }), DirectoryErrors.CERTIFICATE_USAGE_INVALID);
    });

    it('rejects something that is not a certificate', async () => {
      assertRejected(await validate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), DirectoryErrors.CERTIFICATE_MALFORMED);
      assertRejected(await validate('not a certificate'), DirectoryErrors.CERTIFICATE_MALFORMED);
    });

    it('rejects a self-signed look-alike with the same subject and QC statements (unknown CA)', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const genuine = new x509.X509Certificate(tpp.transport.certificatePem);
      const forged = await lookAlike(genuine, 'self', genuine.serialNumber);
      assertRejected(await validate(forged.toString('pem')), DirectoryErrors.CERTIFICATE_UNTRUSTED);
    });

    it('rejects a look-alike from a rogue CA that copies the issuing CA name and the serial number', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const genuine = new x509.X509Certificate(tpp.transport.certificatePem);
      const rogueKeys = await generateKeyPair(EC_P256);
      const forged = await lookAlike(genuine, { name: qtsp.issuingCertificate.subject, key: rogueKeys.privateKey }, genuine.serialNumber);
      assert.equal(forged.issuer, genuine.issuer);
      assertRejected(await validate(forged), DirectoryErrors.CERTIFICATE_UNTRUSTED);
    });

    it('rejects an expired certificate', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const organisation = await directoryOf(database.db).getOrganisation(tpp.organisationId);
      const old = await directoryOf(database.db).issueTppCertificates(qtsp, {
        organisation,
        softwareId: tpp.softwareId,
        publicUrl: PUBLIC_URL,
        now: new Date(Date.now() - 3 * YEAR_MS),
      });
      assertRejected(await validate(old.transport.certificatePem), DirectoryErrors.CERTIFICATE_EXPIRED);
      // The fresh certificate, validated as of three years from now, has expired too.
      assertRejected(await validate(tpp.transport.certificatePem, { now: new Date(Date.now() + 3 * YEAR_MS) }), DirectoryErrors.CERTIFICATE_EXPIRED);
    });

    it('rejects a certificate before its validity starts', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      assertRejected(await validate(tpp.transport.certificatePem, { now: new Date(Date.now() - 24 * 3600_000) }), DirectoryErrors.CERTIFICATE_NOT_YET_VALID);
    });

    it('rejects a certificate revoked after issue on the next validation', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      assertAccepted(await validate(tpp.transport.certificatePem));
      const serial = new x509.X509Certificate(tpp.transport.certificatePem).serialNumber;
      await directoryOf(database.db, cache).revokeCertificate(serial.toUpperCase(), 'keyCompromise');
      assertRejected(await validate(tpp.transport.certificatePem), DirectoryErrors.CERTIFICATE_REVOKED);
      assertAccepted(await validate(tpp.signing.certificatePem, { usage: 'signing' }));
    });

    it('rejects a suspended organisation, and accepts it again once reinstated', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      await directoryOf(database.db, cache).setOrganisationStatus(tpp.organisationId, 'Suspended');
      assertRejected(await validate(tpp.transport.certificatePem), DirectoryErrors.ORGANISATION_SUSPENDED);
      await directoryOf(database.db, cache).setOrganisationStatus(tpp.organisationId, 'Active');
      assertAccepted(await validate(tpp.transport.certificatePem));
    });

    it('rejects a revoked organisation', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const revoked = await directoryOf(database.db, cache).setOrganisationStatus(tpp.organisationId, 'Revoked');
      assert.equal(revoked.status, 'Revoked');
      assertRejected(await validate(tpp.transport.certificatePem), DirectoryErrors.ORGANISATION_REVOKED);
    });

    it('rejects a QTSP-issued certificate without a PSD2 QCStatement', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const genuine = new x509.X509Certificate(tpp.transport.certificatePem);
      const withoutQc = await x509.X509CertificateGenerator.create({
        serialNumber: randomSerialNumber(),
        subject: genuine.subjectName,
        issuer: qtsp.issuingCertificate.subject,
        notBefore: genuine.notBefore,
        notAfter: genuine.notAfter,
        publicKey: genuine.publicKey,
        signingKey: qtsp.issuingPrivateKey,
        signingAlgorithm: EC_P256,
        extensions: genuine.extensions.filter((extension) => extension.type !== ID_PE_QC_STATEMENTS),
      });
      await registerCertificate(withoutQc, tpp);
      assertRejected(await validate(withoutQc), DirectoryErrors.QC_STATEMENT_MISSING);
    });

    it('rejects a certificate whose roles the organisation no longer holds', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp, { roles: ['AISP'] });
      await database.db.updateTable('directory_organisations').set({ roles: JSON.stringify(['PISP']) }).where('id', '=', tpp.organisationId).execute();
      assertRejected(await validate(tpp.transport.certificatePem), DirectoryErrors.ROLES_NOT_AUTHORISED);
    });

    it('rejects a QTSP-issued certificate the directory has no record of', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const genuine = new x509.X509Certificate(tpp.transport.certificatePem);
      const unrecorded = await lookAlike(genuine, { name: qtsp.issuingCertificate.subject, key: qtsp.issuingPrivateKey });
      assertRejected(await validate(unrecorded), DirectoryErrors.CERTIFICATE_UNKNOWN);
    });

    it('rejects a certificate naming another organisation than the one it is registered to', async () => {
      const victim = await onboardTestTpp(database.db, qtsp, { organisationName: 'Victim Ltd' });
      const attacker = await onboardTestTpp(database.db, qtsp, { organisationName: 'Attacker Ltd' });
      const victimOrganisation = await directoryOf(database.db).getOrganisation(victim.organisationId);
      const genuine = new x509.X509Certificate(attacker.transport.certificatePem);
      const subject = new x509.Name([{ C: ['GB'] }, { O: ['Victim Ltd'] }, { '2.5.4.97': [victimOrganisation.organizationIdentifier] }, { CN: [attacker.softwareId] }]);
      const forged = await x509.X509CertificateGenerator.create({
        serialNumber: randomSerialNumber(),
        subject,
        issuer: qtsp.issuingCertificate.subject,
        notBefore: genuine.notBefore,
        notAfter: genuine.notAfter,
        publicKey: genuine.publicKey,
        signingKey: qtsp.issuingPrivateKey,
        signingAlgorithm: EC_P256,
        extensions: genuine.extensions,
      });
      await registerCertificate(forged, attacker);
      assertRejected(await validate(forged), DirectoryErrors.ORGANISATION_UNKNOWN);
    });

    async function registerCertificate(certificate: x509.X509Certificate, tpp: OnboardedTpp): Promise<void> {
      await database.db
        .insertInto('directory_certificates')
        .values({
          serial_number: certificate.serialNumber.toLowerCase(),
          organisation_id: tpp.organisationId,
          software_id: tpp.softwareId,
          usage: 'transport',
          subject: certificate.subject,
          sha256_thumbprint: certificateThumbprint(certificate),
          not_before: certificate.notBefore,
          not_after: certificate.notAfter,
          pem: certificate.toString('pem'),
        })
        .execute();
    }
  });
}
