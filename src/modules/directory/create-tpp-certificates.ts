import { webcrypto, X509Certificate as NodeX509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import { EC_P256, RSA_PSS_2048, generateKeyPair, privateKeyToPem, randomSerialNumber, x509 } from '../../platform/tls/index.ts';
import { certificateThumbprint } from './certificate-thumbprint.ts';
import type { Organisation } from './directory-model.ts';
import type { CertificateRecord } from './directory.repository.port.ts';
import { jwkThumbprint, publicJwkOf } from './public-jwk.ts';
import { encodePsd2QcStatements, ID_PE_QC_STATEMENTS } from './qc-statements.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';

/** What a TPP receives: PEM chains (leaf + issuing CA) and PKCS#8 private keys (DESIGN.md §3). */
export interface TppCredentials {
  readonly transport: { readonly certificatePem: string; readonly privateKeyPem: string };
  readonly signing: { readonly certificatePem: string; readonly privateKeyPem: string; readonly kid: string };
}

export interface TppCertificateRequest {
  readonly organisation: Pick<Organisation, 'id' | 'legalName' | 'organizationIdentifier' | 'roles' | 'ncaName' | 'ncaId'>;
  readonly softwareId: string;
  /** Base URL the CRL distribution point is published under. */
  readonly publicUrl: string;
  /** Issuance time (default: now). */
  readonly now?: Date;
}

export interface CreatedTppCertificates {
  readonly credentials: TppCredentials;
  /** The signing key as the TPP's JWKS publishes it (kid, alg PS256, use sig, x5c). */
  readonly signingJwk: JWK;
  readonly records: CertificateRecord[];
}

const DAY_MS = 24 * 3600 * 1000;
const VALIDITY_MS = 2 * 365 * DAY_MS;
/** RSASSA-PKCS1-v1_5 keys are what every TLS stack accepts as a client key (TLS 1.2 and 1.3). */
const RSA_PKCS1_2048 = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;

/**
 * A QWAC-style transport certificate and a QSealC-style signing certificate for one software
 * statement, without touching the database (keys take a moment to generate; callers record
 * `records` inside their own transaction).
 */
export async function createTppCertificates(qtsp: SandboxQtsp, request: TppCertificateRequest): Promise<CreatedTppCertificates> {
  const transportKeys = (await webcrypto.subtle.generateKey(RSA_PKCS1_2048, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const signingKeys = await generateKeyPair(RSA_PSS_2048);
  const transport = await issueLeaf(qtsp, request, transportKeys.publicKey, 'transport');
  const signing = await issueLeaf(qtsp, request, signingKeys.publicKey, 'signing');
  const signingJwk = await signingJwkOf(signing, qtsp);
  const kid = signingJwk.kid!;
  const chain = (leaf: x509.X509Certificate) => `${leaf.toString('pem')}\n${qtsp.issuingCertificatePem}`;
  return {
    credentials: {
      transport: { certificatePem: chain(transport), privateKeyPem: await privateKeyToPem(transportKeys.privateKey) },
      signing: { certificatePem: chain(signing), privateKeyPem: await privateKeyToPem(signingKeys.privateKey), kid },
    },
    signingJwk,
    records: [toRecord(transport, request, 'transport'), toRecord(signing, request, 'signing')],
  };
}

/**
 * A signing certificate's key as the software's JWKS publishes it: kid the RFC 7638 thumbprint, alg
 * by key type (PS256 for RSA, ES256/ES384 for EC), its certificate and the issuing CA as x5c.
 */
export async function signingJwkOf(leaf: x509.X509Certificate, qtsp: SandboxQtsp): Promise<JWK> {
  const publicJwk = publicJwkOf(new NodeX509Certificate(Buffer.from(leaf.rawData)).publicKey);
  return {
    ...publicJwk,
    kid: await jwkThumbprint(publicJwk),
    alg: publicJwk.kty === 'EC' ? (publicJwk.crv === 'P-384' ? 'ES384' : 'ES256') : 'PS256',
    use: 'sig',
    // RFC 7517 §4.7: x5c is standard base64 DER, the key's own certificate first.
    x5c: [leaf, qtsp.issuingCertificate].map((certificate) => Buffer.from(certificate.rawData).toString('base64')),
    'x5t#S256': certificateThumbprint(leaf),
  };
}

/** One QWAC-style (transport) or QSealC-style (signing) certificate of the request's organisation and software for `publicKey`. */
export async function issueLeaf(qtsp: SandboxQtsp, request: TppCertificateRequest, publicKey: webcrypto.CryptoKey | x509.PublicKey, usage: 'transport' | 'signing'): Promise<x509.X509Certificate> {
  const now = (request.now ?? new Date()).getTime();
  const { organisation } = request;
  const publicUrl = request.publicUrl.replace(/\/+$/, '');
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: tppSubject(organisation.legalName, organisation.organizationIdentifier, request.softwareId),
    issuer: qtsp.issuingCertificate.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + VALIDITY_MS),
    publicKey,
    signingKey: qtsp.issuingPrivateKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...usageExtensions(usage),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(qtsp.issuingCertificate),
      new x509.CRLDistributionPointsExtension([`${publicUrl}/directory/v1/crl`]),
      // RFC 5280 §4.2.2.1: where relying parties ask the QTSP's OCSP responder (RFC 6960).
      new x509.AuthorityInfoAccessExtension({ ocsp: `${publicUrl}/directory/v1/ocsp` }),
      // ETSI TS 119 495 §5.1 / EN 319 412-5 §4.2: QcCompliance, QcType (web or eseal) and the PSD2 roles.
      new x509.Extension(
        ID_PE_QC_STATEMENTS,
        false,
        encodePsd2QcStatements({ roles: organisation.roles, ncaName: organisation.ncaName, ncaId: organisation.ncaId, type: usage === 'transport' ? 'web' : 'eseal' }),
      ),
    ],
  });
}

/**
 * ETSI TS 119 495 §5.2.1 / EN 319 412-1 §5.1.4: organizationIdentifier (2.5.4.97) carries the
 * PSD2 authorisation number; as OB's eIDAS profile does, CN is the software id.
 */
function tppSubject(legalName: string, organizationIdentifier: string, softwareId: string): x509.Name {
  return new x509.Name([{ C: ['GB'] }, { O: [{ utf8String: legalName }] }, { '2.5.4.97': [{ utf8String: organizationIdentifier }] }, { CN: [softwareId] }]);
}

function usageExtensions(usage: 'transport' | 'signing'): x509.Extension[] {
  if (usage === 'transport') {
    // QWAC (EN 319 412-4 §4.2): digitalSignature for the TLS handshake; clientAuth for mTLS.
    return [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth]),
    ];
  }
  // QSealC (EN 319 412-3 §4.2.1): seals use digitalSignature and nonRepudiation (contentCommitment).
  return [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)];
}

export function toRecord(certificate: x509.X509Certificate, request: TppCertificateRequest, usage: 'transport' | 'signing'): CertificateRecord {
  return {
    serialNumber: certificate.serialNumber.toLowerCase(),
    organisationId: request.organisation.id,
    softwareId: request.softwareId,
    usage,
    subject: certificate.subject,
    thumbprint: certificateThumbprint(certificate),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    pem: certificate.toString('pem'),
  };
}
