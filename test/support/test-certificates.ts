import type { CertificateAuthority } from '../../src/platform/tls/index.ts';
import { EC_P256, generateKeyPair, privateKeyToPem, randomSerialNumber, x509 } from '../../src/platform/tls/index.ts';

/** A client certificate for tests, issued by the given CA (or self-signed when none). */
export async function issueClientCertificate(ca: CertificateAuthority | undefined, commonName: string): Promise<{ certPem: string; keyPem: string }> {
  const keys = await generateKeyPair(EC_P256);
  const now = Date.now();
  const extensions = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ];
  const certificate = ca
    ? await x509.X509CertificateGenerator.create({
        serialNumber: randomSerialNumber(),
        subject: `CN=${commonName}, O=Test TPP, C=GB`,
        issuer: ca.certificate.subject,
        notBefore: new Date(now - 60_000),
        notAfter: new Date(now + 24 * 3600_000),
        publicKey: keys.publicKey,
        signingKey: ca.privateKey,
        signingAlgorithm: EC_P256,
        extensions,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: randomSerialNumber(),
        name: `CN=${commonName}, O=Self Signed, C=GB`,
        notBefore: new Date(now - 60_000),
        notAfter: new Date(now + 24 * 3600_000),
        keys,
        signingAlgorithm: EC_P256,
        extensions,
      });
  return { certPem: certificate.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey) };
}
