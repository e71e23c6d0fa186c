import fs from 'node:fs/promises';
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
 * test QTSP, the trust anchor the platform under test is configured with.
 */
export class TestDirectory {
  readonly issuer = 'Test Directory Ltd';
  readonly organisations = new Map<string, Organisation>();
  readonly software = new Map<string, { softwareId: string; organisationId: string; status: 'Active' | 'Inactive'; jwks: { keys: JWK[] } }>();
  /** Requests the directory answered, as `GET /path`. */
  readonly requests: string[] = [];

  private constructor(
    readonly qtsp: SandboxQtsp,
    private readonly server: https.Server,
    readonly base: string,
    /** Files holding the QTSP's CA certificates: the platform's client trust anchors, and the directory's server CA. */
    readonly trustAnchorsFile: string,
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
    started.directory = new TestDirectory(qtsp, server, `https://localhost:${(server.address() as AddressInfo).port}`, trustAnchorsFile);
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

  /** An organisation with one software statement: its SSA (signed by the directory) and certificates from the test QTSP. */
  async onboard(legalName: string, roles: string[], redirectUris: string[], options: { qtsp?: SandboxQtsp } = {}): Promise<OnboardedTpp> {
    const organisation: Organisation = { id: `org${randomInt(1e9)}`, legalName, organizationIdentifier: `PSDGB-FCA-${randomInt(100_000, 999_999)}`, roles, status: 'Active' };
    const softwareId = `sw${randomInt(1e9)}`;
    const created = await createTppCertificates(options.qtsp ?? this.qtsp, {
      organisation: { ...organisation, roles: roles as never, ncaName: 'Financial Conduct Authority', ncaId: 'GB-FCA' },
      softwareId,
      publicUrl: this.base,
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
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await fs.rm(path.dirname(this.trustAnchorsFile), { recursive: true, force: true });
  }
}
