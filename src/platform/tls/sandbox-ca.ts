import type { webcrypto } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EC_P256, generateKeyPair, privateKeyFromPem, privateKeyToPem, randomSerialNumber, x509 } from './pki.ts';

export interface CertificateAuthority {
  readonly certificate: x509.X509Certificate;
  readonly certificatePem: string;
  readonly privateKey: webcrypto.CryptoKey;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The sandbox CA kept in `<dataDir>/tls`. Created at first start; reused afterwards so that
 * certificates it issued (and clients that pinned it) keep working across restarts.
 */
export async function loadOrCreateSandboxCa(tlsDir: string): Promise<CertificateAuthority> {
  const certFile = path.join(tlsDir, 'sandbox-ca.pem');
  const keyFile = path.join(tlsDir, 'sandbox-ca.key.pem');
  const existing = await readPair(certFile, keyFile);
  if (existing) {
    const certificate = new x509.X509Certificate(existing.cert);
    if (certificate.notAfter.getTime() - Date.now() > 30 * 24 * 3600 * 1000) {
      return { certificate, certificatePem: existing.cert, privateKey: await privateKeyFromPem(existing.key, EC_P256) };
    }
  }
  const keys = await generateKeyPair(EC_P256);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: 'CN=Portico Sandbox Root CA, O=Portico Sandbox, C=GB',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 10 * YEAR_MS),
    keys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certificatePem = certificate.toString('pem');
  await fs.mkdir(tlsDir, { recursive: true, mode: 0o700 });
  await fs.writeFile(keyFile, await privateKeyToPem(keys.privateKey), { mode: 0o600 });
  await fs.writeFile(certFile, certificatePem);
  return { certificate, certificatePem, privateKey: keys.privateKey };
}

export async function readPair(certFile: string, keyFile: string): Promise<{ cert: string; key: string } | undefined> {
  try {
    const [cert, key] = await Promise.all([fs.readFile(certFile, 'utf8'), fs.readFile(keyFile, 'utf8')]);
    return { cert, key };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
