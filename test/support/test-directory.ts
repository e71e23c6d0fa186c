import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { EC_P256, generateKeyPair, privateKeyToPem, randomSerialNumber, x509 } from '../../src/platform/tls/index.ts';
import { createTppCertificates } from '../../src/modules/directory/create-tpp-certificates.ts';
import { createUnsavedQtsp } from '../../src/modules/directory/sandbox-qtsp.ts';
import type { SandboxQtsp } from '../../src/modules/directory/index.ts';
import type { DirectoryRepository } from '../../src/modules/directory/directory.repository.port.ts';
import { buildCrl } from '../../src/modules/directory/certificate-revocation.ts';
import { answerOcspRequest } from '../../src/modules/directory/revocation/ocsp-responder.ts';
import type { OnboardedTpp } from './tpp-client.ts';

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** A server certificate for localhost from a test CA, as the chain (leaf + issuing CA) and key. */
async function serverCertificate(qtsp: SandboxQtsp): Promise<{ cert: string; key: string }> {
  const keys = await generateKeyPair(EC_P256);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: 'CN=localhost, O=Test Directory, C=GB',
    issuer: qtsp.issuingCertificate.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + YEAR_MS),
    publicKey: keys.publicKey,
    signingKey: qtsp.issuingPrivateKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }]),
    ],
  });
  return { cert: `${leaf.toString('pem')}\n${qtsp.issuingCertificatePem}`, key: await privateKeyToPem(keys.privateKey) };
}

interface Organisation {
  id: string;
  legalName: string;
  organizationIdentifier: string;
  roles: string[];
  status: 'Active' | 'Suspended' | 'Revoked';
}

/**
 * A remote, Open Banking-style directory served by the test over HTTPS (docs/deployment.md,
 * "Production trust"): the JWKS its SSAs are signed with, each software statement's JWKS, and the
 * API giving an organisation's and a software statement's standing. TPP certificates come from the
 * test QTSP, the trust anchor the platform under test is configured with; its OCSP responder and
 * CRL are served over plain HTTP on a port of their own.
 */
export class TestDirectory {
  readonly issuer = 'Test Directory Ltd';
  readonly organisations = new Map<string, Organisation>();
  readonly software = new Map<string, { softwareId: string; organisationId: string; status: 'Active' | 'Inactive'; jwks: { keys: JWK[] } }>();
  /** Requests the directory answered, as `GET /path`. */
  readonly requests: string[] = [];
  /** Serial numbers the test QTSP has revoked, with when. */
  readonly revoked = new Map<string, Date>();
  /** Whether the QTSP's OCSP responder and CRL distribution point answer (a 503 when not). */
  readonly revocationUp = { ocsp: true, crl: true };
  /** Revocation requests answered, as `OCSP` or `CRL`. */
  readonly revocationRequests: string[] = [];
  private crlNumber = 0n;

  private constructor(
    readonly qtsp: SandboxQtsp,
    private readonly server: https.Server,
    readonly base: string,
    /** Files holding the QTSP's CA certificates: the platform's client trust anchors, and the directory's server CA. */
    readonly trustAnchorsFile: string,
    /** The test QTSP's OCSP responder and CRL, over plain HTTP as QTSPs publish them. */
    private readonly revocationServer: http.Server,
    readonly revocationBase: string,
  ) {}

  static async start(): Promise<TestDirectory> {
    // A QTSP of the test's own: its CAs are the trust anchors, its signer the directory's SSA key.
    const qtsp = await createUnsavedQtsp();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-directory-'));
    const trustAnchorsFile = path.join(dir, 'trust-anchors.pem');
    await fs.writeFile(trustAnchorsFile, `${qtsp.issuingCertificatePem}\n${qtsp.rootCertificatePem}`);
    const started: { directory?: TestDirectory } = {};
    const server = https.createServer(await serverCertificate(qtsp), (request, response) => {
      const handled = started.directory?.route(request.method ?? 'GET', request.url ?? '/');
      response.writeHead(handled ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(handled ?? { error: 'not found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const revocationServer = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        void started.directory!.revocationAnswer(request.url ?? '/', Buffer.concat(chunks)).then(({ status, type, body }) => response.writeHead(status, { 'content-type': type }).end(body));
      });
    });
    await new Promise<void>((resolve) => revocationServer.listen(0, '127.0.0.1', resolve));
    const revocationBase = `http://127.0.0.1:${(revocationServer.address() as AddressInfo).port}`;
    started.directory = new TestDirectory(qtsp, server, `https://localhost:${(server.address() as AddressInfo).port}`, trustAnchorsFile, revocationServer, revocationBase);
    return started.directory;
  }

  /** The platform's environment for trusting TPPs through this directory. */
  get environment(): Record<string, string> {
    return {
      SANDBOX: 'false',
      DIRECTORY_ISSUER: this.issuer,
      DIRECTORY_JWKS_URL: `${this.base}/jwks`,
      DIRECTORY_API_URL: `${this.base}/api`,
      DIRECTORY_CA_FILE: this.trustAnchorsFile,
      CLIENT_TRUST_ANCHORS_FILE: this.trustAnchorsFile,
    };
  }

  private route(method: string, url: string): unknown {
    this.requests.push(`${method} ${url}`);
    if (method !== 'GET') return undefined;
    if (url === '/jwks') return { keys: [this.qtsp.directorySigner.publicJwk] };
    const software = /^\/software\/([^/]+)\/jwks$/.exec(url);
    if (software) return this.software.get(decodeURIComponent(software[1]!))?.jwks;
    const organisation = /^\/api\/organisations\/by-identifier\/([^/]+)$/.exec(url);
    if (organisation) return [...this.organisations.values()].find((item) => item.organizationIdentifier === decodeURIComponent(organisation[1]!));
    const statement = /^\/api\/software-statements\/([^/]+)$/.exec(url);
    if (statement) {
      const found = this.software.get(decodeURIComponent(statement[1]!));
      return found && { softwareId: found.softwareId, organisationId: found.organisationId, status: found.status };
    }
    return undefined;
  }

  /** Revokes a certificate the test QTSP issued: its OCSP responder and CRL list it from now on. */
  revoke(certificatePem: string): void {
    this.revoked.set(new x509.X509Certificate(certificatePem).serialNumber, new Date());
  }

  /** What the QTSP's responder and distribution point answer, from the serials revoked here. */
  private async revocationAnswer(url: string, body: Buffer): Promise<{ status: number; type: string; body: Uint8Array }> {
    const unavailable = { status: 503, type: 'text/plain', body: new TextEncoder().encode('down') };
    const records = {
      certificateRevocation: async (serialNumber: string) => ({ revokedAt: this.revoked.get(serialNumber) ?? null }),
      nextCrlNumber: async () => (this.crlNumber += 1n),
      revokedCertificates: async () => [...this.revoked].map(([serialNumber, revokedAt]) => ({ serialNumber, revokedAt, reason: 'keyCompromise' })),
    } as unknown as DirectoryRepository;
    if (url === '/directory/v1/ocsp') {
      this.revocationRequests.push('OCSP');
      if (!this.revocationUp.ocsp) return unavailable;
      return { status: 200, type: 'application/ocsp-response', body: await answerOcspRequest(records, this.qtsp, body) };
    }
    if (url === '/directory/v1/crl') {
      this.revocationRequests.push('CRL');
      if (!this.revocationUp.crl) return unavailable;
      return { status: 200, type: 'application/pkix-crl', body: new Uint8Array((await buildCrl(records, this.qtsp)).der) };
    }
    return { status: 404, type: 'text/plain', body: new Uint8Array() };
  }

  /** An organisation with one software statement: its SSA (signed by the directory) and certificates from the test QTSP. */
  async onboard(legalName: string, roles: string[], redirectUris: string[], options: { qtsp?: SandboxQtsp } = {}): Promise<OnboardedTpp> {
    const organisation: Organisation = { id: `org${randomInt(1e9)}`, legalName, organizationIdentifier: `PSDGB-FCA-${randomInt(100_000, 999_999)}`, roles, status: 'Active' };
    const softwareId = `sw${randomInt(1e9)}`;
    const created = await createTppCertificates(options.qtsp ?? this.qtsp, {
      organisation: { ...organisation, roles: roles as never, ncaName: 'Financial Conduct Authority', ncaId: 'GB-FCA' },
      softwareId,
      // Where the certificates name the QTSP's OCSP responder and CRL.
      publicUrl: this.revocationBase,
    });
    this.organisations.set(organisation.id, organisation);
    this.software.set(softwareId, { softwareId, organisationId: organisation.id, status: 'Active', jwks: { keys: [created.signingJwk] } });
    const softwareStatement = await this.qtsp.directorySigner.signJwt({
      iss: this.issuer,
      iat: Math.floor(Date.now() / 1000),
      jti: randomUUID(),
      software_id: softwareId,
      software_client_name: legalName,
      software_roles: roles,
      software_redirect_uris: redirectUris,
      software_jwks_endpoint: `${this.base}/software/${softwareId}/jwks`,
      org_id: organisation.id,
      org_name: legalName,
      org_status: 'Active',
    });
    return { organisationId: organisation.id, softwareId, softwareStatement, ...created.credentials };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.revocationServer.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await new Promise<void>((resolve) => this.revocationServer.close(() => resolve()));
    await fs.rm(path.dirname(this.trustAnchorsFile), { recursive: true, force: true });
  }
}
