import fs from 'node:fs/promises';
import path from 'node:path';
import net from 'node:net';
import { EC_P256, generateKeyPair, privateKeyToPem, randomSerialNumber, x509 } from './pki.ts';
import { loadOrCreateSandboxCa, readPair, type CertificateAuthority } from './sandbox-ca.ts';

export interface ServerTls {
  readonly certPem: string;
  readonly keyPem: string;
  /** Trust anchors the TLS handshake verifies client certificates against. */
  readonly clientCaPems: string[];
  /** Present when the server certificate came from the sandbox CA. */
  readonly sandboxCa: CertificateAuthority | undefined;
}

export interface ServerTlsOptions {
  readonly dataDir: string;
  readonly publicUrl: string;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The HTTPS server's key material: the operator's files when TLS_CERT_FILE/TLS_KEY_FILE are set,
 * otherwise a certificate from the sandbox CA covering localhost and the PUBLIC_URL host,
 * re-issued when missing, near expiry, or no longer matching PUBLIC_URL.
 */
export async function loadServerTls(options: ServerTlsOptions): Promise<ServerTls> {
  const tlsDir = path.join(options.dataDir, 'tls');
  if (options.certFile && options.keyFile) {
    const [certPem, keyPem] = await Promise.all([fs.readFile(options.certFile, 'utf8'), fs.readFile(options.keyFile, 'utf8')]);
    return { certPem, keyPem, clientCaPems: [], sandboxCa: undefined };
  }
  const ca = await loadOrCreateSandboxCa(tlsDir);
  const hosts = serverHostNames(options.publicUrl);
  const certFile = path.join(tlsDir, 'server.pem');
  const keyFile = path.join(tlsDir, 'server.key.pem');
  const existing = await readPair(certFile, keyFile);
  if (existing && stillValid(existing.cert, hosts, ca)) {
    return { certPem: existing.cert, keyPem: existing.key, clientCaPems: [ca.certificatePem], sandboxCa: ca };
  }
  const keys = await generateKeyPair(EC_P256);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: `CN=${hosts[0]}, O=Portico Sandbox, C=GB`,
    issuer: ca.certificate.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 397 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      // Also the bank's transport certificate for its own mutual-TLS calls (event notification
      // pushes), as a directory's transport certificates are: TLS servers check clientAuth.
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(hosts.map((host) => (net.isIP(host) ? { type: 'ip', value: host } : { type: 'dns', value: host }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
    ],
  });
  // The chain (server + CA) is served so that clients trusting the sandbox root can verify it.
  const certPem = `${certificate.toString('pem')}\n${ca.certificatePem}`;
  const keyPem = await privateKeyToPem(keys.privateKey);
  await fs.writeFile(keyFile, keyPem, { mode: 0o600 });
  await fs.writeFile(certFile, certPem);
  return { certPem, keyPem, clientCaPems: [ca.certificatePem], sandboxCa: ca };
}

function serverHostNames(publicUrl: string): string[] {
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  return [...new Set([host, 'localhost', '127.0.0.1', '::1'])];
}

function stillValid(pem: string, hosts: string[], ca: CertificateAuthority): boolean {
  const certificate = new x509.X509Certificate(pem);
  if (certificate.notAfter.getTime() - Date.now() < 30 * DAY_MS) return false;
  if (certificate.issuer !== ca.certificate.subject) return false;
  // Issued before it served as a client certificate too: issued again with clientAuth.
  const usages = certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [];
  if (!usages.includes(x509.ExtendedKeyUsage.clientAuth)) return false;
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  const names = new Set(san?.names.items.map((name) => name.value) ?? []);
  return hosts.every((host) => names.has(host));
}
