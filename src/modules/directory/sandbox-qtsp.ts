import type { webcrypto } from 'node:crypto';
import type { Db, NewRow, Row } from '../../platform/db/index.ts';
import { EC_P256, RSA_PSS_2048, generateKeyPair, privateKeyFromPem, privateKeyToPem, randomSerialNumber, x509 } from '../../platform/tls/index.ts';
import { createDirectorySigner, type DirectorySigner } from './directory-signer.ts';
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

export const SANDBOX_QTSP_ID = 'sandbox-qtsp';
const YEAR_MS = 365 * 24 * 3600 * 1000;
const ROOT_NAME = 'CN=Portico Sandbox QTSP Root CA, O=Portico Sandbox, C=GB';
const ISSUING_NAME = 'CN=Portico Sandbox QTSP Issuing CA, O=Portico Sandbox, C=GB';

/**
 * The QTSP kept in `directory_ca`, created on first use. Every instance and every restart reads the
 * same row, so certificates issued anywhere validate everywhere. Concurrent first starts each
 * generate a candidate, but `ON CONFLICT DO NOTHING` keeps the first and all re-read that one.
 */
export async function loadOrCreateSandboxQtsp(db: Db): Promise<SandboxQtsp> {
  const existing = await readRow(db);
  if (existing) return fromRow(existing);
  await db
    .insertInto('directory_ca')
    .values(await createQtspRow())
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
  const stored = await readRow(db);
  if (!stored) throw new Error('the sandbox QTSP row is missing right after it was inserted');
  return fromRow(stored);
}

/** A new QTSP kept nowhere: for tools and tests that need a certificate hierarchy of their own. */
export async function createUnsavedQtsp(): Promise<SandboxQtsp> {
  return fromRow(await createQtspRow());
}

function readRow(db: Db): Promise<Row<'directory_ca'> | undefined> {
  return db.selectFrom('directory_ca').selectAll().where('id', '=', SANDBOX_QTSP_ID).executeTakeFirst();
}

async function fromRow(row: Pick<Row<'directory_ca'>, 'root_cert_pem' | 'issuing_cert_pem' | 'issuing_key_pem' | 'directory_signing_key_pem' | 'directory_signing_kid'>): Promise<SandboxQtsp> {
  return {
    rootCertificate: new x509.X509Certificate(row.root_cert_pem),
    rootCertificatePem: row.root_cert_pem,
    issuingCertificate: new x509.X509Certificate(row.issuing_cert_pem),
    issuingCertificatePem: row.issuing_cert_pem,
    issuingPrivateKey: await privateKeyFromPem(row.issuing_key_pem, EC_P256),
    directorySigner: await createDirectorySigner(row.directory_signing_key_pem, row.directory_signing_kid),
  };
}

/**
 * A two-level hierarchy like a real QTSP's: the root signs only the issuing CA and its private key
 * is then dropped (an offline root), so only the issuing key is ever stored.
 */
async function createQtspRow(): Promise<NewRow<'directory_ca'>> {
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
    id: SANDBOX_QTSP_ID,
    root_cert_pem: root.toString('pem'),
    issuing_cert_pem: issuing.toString('pem'),
    issuing_key_pem: await privateKeyToPem(issuingKeys.privateKey),
    directory_signing_key_pem: signingKeyPem,
    directory_signing_kid: await jwkThumbprint(publicJwkOf(signingKeyPem)),
    created_at: new Date(now),
  };
}
