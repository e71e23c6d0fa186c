import type { webcrypto } from 'node:crypto';
import { EC_P256, RSA_PSS_2048, generateKeyPair, privateKeyFromPem, privateKeyToPem, randomSerialNumber, x509 } from '../../platform/tls/index.ts';
import { createDirectorySigner, type DirectorySigner } from './directory-signer.ts';
import type { DirectoryRepository, QtspRecord } from './directory.repository.port.ts';
import { jwkThumbprint, publicJwkOf } from './public-jwk.ts';

/** The sandbox QTSP: the trust anchor TPP certificates chain to, and the directory's SSA signer. */
export interface SandboxQtsp {
  readonly rootCertificate: x509.X509Certificate;
  readonly rootCertificatePem: string;
  readonly issuingCertificate: x509.X509Certificate;
  readonly issuingCertificatePem: string;
  readonly issuingPrivateKey: webcrypto.CryptoKey;
  readonly directorySigner: DirectorySigner;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
const ROOT_NAME = 'CN=Portico Sandbox QTSP Root CA, O=Portico Sandbox, C=GB';
const ISSUING_NAME = 'CN=Portico Sandbox QTSP Issuing CA, O=Portico Sandbox, C=GB';

/**
 * The QTSP kept in `directory_ca`, created on first use. Every instance and every restart reads the
 * same row, so certificates issued anywhere validate everywhere. Concurrent first starts each
 * generate a candidate, but `ON CONFLICT DO NOTHING` keeps the first and all re-read that one.
 */
export async function loadOrCreateSandboxQtsp(records: DirectoryRepository): Promise<SandboxQtsp> {
  const existing = await records.findQtsp();
  if (existing) return fromRecord(existing);
  await records.addQtspIfAbsent(await createQtspRecord());
  const stored = await records.findQtsp();
  if (!stored) throw new Error('the sandbox QTSP row is missing right after it was inserted');
  return fromRecord(stored);
}

/** A new QTSP kept nowhere: for tools and tests that need a certificate hierarchy of their own. */
export async function createUnsavedQtsp(): Promise<SandboxQtsp> {
  return fromRecord(await createQtspRecord());
}

async function fromRecord(record: QtspRecord): Promise<SandboxQtsp> {
  return {
    rootCertificate: new x509.X509Certificate(record.rootCertificatePem),
    rootCertificatePem: record.rootCertificatePem,
    issuingCertificate: new x509.X509Certificate(record.issuingCertificatePem),
    issuingCertificatePem: record.issuingCertificatePem,
    issuingPrivateKey: await privateKeyFromPem(record.issuingKeyPem, EC_P256),
    directorySigner: await createDirectorySigner(record.directorySigningKeyPem, record.directorySigningKid),
  };
}

/**
 * A two-level hierarchy like a real QTSP's: the root signs only the issuing CA and its private key
 * is then dropped (an offline root), so only the issuing key is ever stored.
 */
async function createQtspRecord(): Promise<QtspRecord> {
  const now = Date.now();
  const rootKeys = await generateKeyPair(EC_P256);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: ROOT_NAME,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 20 * YEAR_MS),
    keys: rootKeys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const issuingKeys = await generateKeyPair(EC_P256);
  const issuing = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: ISSUING_NAME,
    issuer: root.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 10 * YEAR_MS),
    publicKey: issuingKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: EC_P256,
    extensions: [
      // pathLen 0: the issuing CA signs end-entity certificates only (RFC 5280 §4.2.1.9).
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(issuingKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root),
    ],
  });
  // The directory's SSA key is RSA for PS256, the algorithm OB directories sign SSAs with.
  const signingKeys = await generateKeyPair(RSA_PSS_2048);
  const signingKeyPem = await privateKeyToPem(signingKeys.privateKey);
  return {
    rootCertificatePem: root.toString('pem'),
    issuingCertificatePem: issuing.toString('pem'),
    issuingKeyPem: await privateKeyToPem(issuingKeys.privateKey),
    directorySigningKeyPem: signingKeyPem,
    directorySigningKid: await jwkThumbprint(publicJwkOf(signingKeyPem)),
    createdAt: new Date(now),
  };
}
