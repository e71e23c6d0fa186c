import type { webcrypto } from 'node:crypto';
import { EC_P256, RSA_PSS_2048, generateKeyPair, privateKeyToPem, randomSerialNumber, x509 } from '../../src/platform/tls/index.ts';
import { encodePsd2QcStatements, ID_PE_QC_STATEMENTS, type Psd2Role } from '../../src/modules/directory/index.ts';

/** A CA of a test's own: its certificate and key. */
export interface TestCa {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: webcrypto.CryptoKey;
  readonly privateKeyPem: string;
}

export interface TestLeaf {
  readonly certificate: x509.X509Certificate;
  readonly privateKeyPem: string;
}

const DAY_MS = 24 * 3600_000;

/** A self-signed CA named `CN=<name>`. */
export async function createTestCa(name: string, { notBefore = new Date(Date.now() - DAY_MS), notAfter = new Date(Date.now() + 365 * DAY_MS) } = {}): Promise<TestCa> {
  const keys = await generateKeyPair(EC_P256);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: `CN=${name}, O=Test PKI, C=GB`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, privateKey: keys.privateKey, privateKeyPem: await privateKeyToPem(keys.privateKey) };
}

export interface LeafOptions {
  readonly subject?: string | x509.Name;
  /** The OCSP responder URL (authorityInfoAccess). */
  readonly ocspUrl?: string;
  /** The CRL distribution point. */
  readonly crlUrl?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Key usage and extended key usage; a TLS client certificate by default. */
  readonly extensions?: readonly x509.Extension[];
  /** The key pair certified (default a new EC P-256 one). */
  readonly keys?: webcrypto.CryptoKeyPair;
}

/** An end-entity certificate issued by `ca`. */
export async function issueTestLeaf(ca: TestCa, options: LeafOptions = {}): Promise<TestLeaf> {
  const keys = options.keys ?? (await generateKeyPair(EC_P256));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: options.subject ?? 'CN=Test Leaf, O=Test TPP, C=GB',
    issuer: ca.certificate.subject,
    notBefore: options.notBefore ?? new Date(Date.now() - 60_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 30 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...(options.extensions ?? [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
      ...(options.crlUrl ? [new x509.CRLDistributionPointsExtension([options.crlUrl])] : []),
      ...(options.ocspUrl ? [new x509.AuthorityInfoAccessExtension({ ocsp: options.ocspUrl })] : []),
    ],
  });
  return { certificate, privateKeyPem: await privateKeyToPem(keys.privateKey) };
}

/** A certificate `ca` delegates OCSP signing to (RFC 6960 §4.2.2.2: id-kp-OCSPSigning). */
export function issueOcspSigner(ca: TestCa): Promise<TestLeaf> {
  return issueTestLeaf(ca, {
    subject: `CN=OCSP responder of ${ca.certificate.subjectName.getField('CN')[0]}, O=Test PKI, C=GB`,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning])],
  });
}

/** A CRL of `ca` listing `revoked` serials. */
export async function issueTestCrl(ca: TestCa, revoked: readonly { serialNumber: string; revokedAt?: Date }[], { thisUpdate = new Date(Date.now() - 60_000), nextUpdate = new Date(Date.now() + DAY_MS) } = {}): Promise<Uint8Array> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.certificate.subjectName,
    thisUpdate,
    nextUpdate,
    signingKey: ca.privateKey,
    signingAlgorithm: EC_P256,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(ca.certificate)],
    entries: revoked.map((entry) => ({ serialNumber: entry.serialNumber, revocationDate: entry.revokedAt ?? new Date(Date.now() - 30_000), reason: x509.X509CrlReason.keyCompromise })),
  });
  return new Uint8Array(crl.rawData);
}

/** The register fixture's German payment institution, as its QWACs name it. */
export const GERMAN_PI = { name: 'Zahlungsauslöse GmbH', organizationIdentifier: 'PSDDE-BAFIN-123456', commonName: 'zahlung.example' } as const;

/** A PSD2 QWAC (ETSI TS 119 495 QCStatement, organizationIdentifier) of the German PI, issued by `ca`. */
export function issueGermanPiQwac(ca: TestCa, ocspUrl: string): Promise<TestLeaf> {
  return issueQwac(ca, ocspUrl, { country: 'DE', ...GERMAN_PI, roles: ['AISP', 'PISP'], nca: { name: 'BaFin', id: 'DE-BAFIN' } });
}

/** A PSD2 QWAC (ETSI TS 119 495 QCStatement, organizationIdentifier) of `holder`, issued by `ca`. */
export function issueQwac(ca: TestCa, ocspUrl: string, holder: Psd2Holder): Promise<TestLeaf> {
  return issueTestLeaf(ca, {
    subject: new x509.Name([{ C: [holder.country] }, { O: [{ utf8String: holder.name }] }, { '2.5.4.97': [{ utf8String: holder.organizationIdentifier }] }, { CN: [holder.commonName] }]),
    ocspUrl,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.Extension(ID_PE_QC_STATEMENTS, false, encodePsd2QcStatements({ roles: holder.roles, ncaName: holder.nca.name, ncaId: holder.nca.id, type: 'web' })),
    ],
  });
}

/**
 * The Credit Institutions Register fixture's German bank acting as a TPP: its licence is its
 * banking authorisation (BaFin, 100099), its certificates carry every TPP role.
 */
export const GERMAN_BANK: Psd2Holder = {
  country: 'DE',
  name: 'Beispielbank AG',
  organizationIdentifier: 'PSDDE-BAFIN-100099',
  commonName: 'api.beispielbank.example',
  roles: ['AISP', 'PISP', 'CBPII'],
  nca: { name: 'Federal Financial Supervisory Authority', id: 'DE-BAFIN' },
};

/** An organisation as its PSD2 certificates name it, with the roles and NCA of their QCStatement. */
export interface Psd2Holder {
  readonly country: string;
  readonly name: string;
  readonly organizationIdentifier: string;
  readonly commonName: string;
  readonly roles: readonly Psd2Role[];
  readonly nca: { readonly name: string; readonly id: string };
}

/** The German PI's QSealC for an RSA-PSS key (it signs PS256), issued by `ca`. */
export function issueGermanPiQsealc(ca: TestCa, ocspUrl: string): Promise<TestLeaf> {
  return issueQsealc(ca, ocspUrl, { country: 'DE', ...GERMAN_PI, roles: ['AISP', 'PISP'], nca: { name: 'BaFin', id: 'DE-BAFIN' } });
}

/** A PSD2 QSealC of `holder` for an RSA-PSS key (it signs PS256), issued by `ca`. */
export async function issueQsealc(ca: TestCa, ocspUrl: string, holder: Psd2Holder): Promise<TestLeaf> {
  return issueTestLeaf(ca, {
    subject: new x509.Name([{ C: [holder.country] }, { O: [{ utf8String: holder.name }] }, { '2.5.4.97': [{ utf8String: holder.organizationIdentifier }] }, { CN: [holder.commonName] }]),
    ocspUrl,
    keys: await generateKeyPair(RSA_PSS_2048),
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      new x509.Extension(ID_PE_QC_STATEMENTS, false, encodePsd2QcStatements({ roles: holder.roles, ncaName: holder.nca.name, ncaId: holder.nca.id, type: 'eseal' })),
    ],
  });
}
