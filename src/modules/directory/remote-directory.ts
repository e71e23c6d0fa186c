import { createRemoteJWKSet, customFetch, errors, type JWK, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose';
import type { HttpsFetch } from '../../platform/https-client/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { x509 } from '../../platform/tls/index.ts';
import { derThumbprint } from './certificate-thumbprint.ts';
import { authorisedRoles, checkKeyUsage, checkOrganisationActive, checkValidityPeriod, derOf, ID_ORGANIZATION_IDENTIFIER, parseCertificate, reject } from './certificate-checks.ts';
import type { TppCertificateValidation } from './certificate-validation.ts';
import { chainToTrustAnchors } from './chain-to-trust-anchors.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { parsePsd2QcStatement } from './qc-statements.ts';
import { describeCertificate, describeOrganisation, describePath, describeStatement } from './describe-trust.ts';
import { noted } from './trust-trace.ts';
import { checkNotRevoked } from './revocation/check-not-revoked.ts';
import type { RevocationChecker } from './revocation/revocation-checker.ts';
import { RemoteDirectoryApi, type LastGoodCopies } from './remote-directory-api.ts';
import type { TppDirectory } from './tpp-directory.port.ts';

export interface RemoteDirectoryOptions {
  /** The `iss` of the directory's SSAs. */
  readonly issuer: string;
  /** The directory's JWKS: the keys its SSAs are signed with. */
  readonly jwksUrl: string;
  /** The base URL of its API (organisation and software statement standing). */
  readonly apiUrl: string;
  /** The CAs (PEM) TPP transport and signing certificates must chain to. */
  readonly clientTrustAnchorPems: readonly string[];
  /** HTTPS to the directory (src/platform/https-client), trusting its server certificate's CA. */
  readonly fetch: HttpsFetch;
  /** Longest a fetched JWKS is used before it is fetched again (default 60 s). */
  readonly jwksMaxAgeMs?: number;
  /** Most software JWKS endpoints remembered at once (default 1000). */
  readonly maxSoftwareJwks?: number;
  /** Whether TPP certificates are revoked: OCSP, then CRLs, under the adapter's policy. */
  readonly revocation: RevocationChecker;
  /** The directory's last good answers on organisations and software, used while it cannot be reached. */
  readonly lastGoodCopies?: LastGoodCopies;
}

/**
 * The directory port over a remote, Open Banking-style directory: SSAs verify with the keys at its
 * JWKS URL, TPP signing keys are those its software statements publish (their
 * `software_jwks_endpoint`), both through `jose`'s `createRemoteJWKSet` (fetched on first use,
 * re-fetched when older than `jwksMaxAgeMs` or when a token names an unknown kid); organisation and
 * software standing are asked of its API on every call, its last good answer standing in, for a
 * limited age, while it cannot be reached. Certificates must chain to the configured
 * client trust anchors and carry a PSD2 QCStatement and organizationIdentifier naming an
 * organisation the directory holds Active, and must not be revoked (OCSP, then CRLs, under the
 * adapter's revocation policy).
 */
export function createRemoteDirectory(options: RemoteDirectoryOptions): TppDirectory {
  const api = new RemoteDirectoryApi(options.apiUrl, options.fetch, options.lastGoodCopies);
  const anchors = options.clientTrustAnchorPems.map((pem) => new x509.X509Certificate(pem));
  const jwksOptions = { cacheMaxAge: options.jwksMaxAgeMs ?? 60_000, [customFetch]: options.fetch };
  const directoryJwks = createRemoteJWKSet(new URL(options.jwksUrl), jwksOptions);
  // A JWKS that cannot be fetched says nothing about the SSA: the directory is unavailable (503).
  const softwareStatementKeys: JWTVerifyGetKey = async (header, token) => {
    try {
      return await directoryJwks(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new AppError(DirectoryErrors.DIRECTORY_UNAVAILABLE, { cause: error });
    }
  };
  // One resolver per software JWKS endpoint, so each keeps its own cache; least recently used dropped first.
  const softwareJwks = new Map<string, RemoteJWKSet>();
  const maxSoftwareJwks = options.maxSoftwareJwks ?? 1000;
  const softwareJwksAt = (endpoint: string): RemoteJWKSet => {
    let remote = softwareJwks.get(endpoint);
    if (remote) softwareJwks.delete(endpoint);
    else remote = createRemoteJWKSet(new URL(endpoint), jwksOptions);
    softwareJwks.set(endpoint, remote);
    if (softwareJwks.size > maxSoftwareJwks) softwareJwks.delete(softwareJwks.keys().next().value!);
    return remote;
  };

  return {
    jwksUrl: options.jwksUrl,
    softwareStatementIssuer: options.issuer,
    softwareStatementKeys,
    async validateCertificate(input, { now = new Date(), usage = 'transport', trace } = {}): Promise<TppCertificateValidation> {
      const der = derOf(input);
      const certificate = der && parseCertificate(input instanceof x509.X509Certificate ? input : der);
      if (!der || !certificate) return reject(noted(trace, 'certificate', DirectoryErrors.CERTIFICATE_MALFORMED, () => '')!);
      noted(trace, 'certificate', undefined, () => describeCertificate(certificate));
      const path = await chainToTrustAnchors(certificate, anchors);
      const chainError = noted(trace, 'chain', path ? undefined : DirectoryErrors.CERTIFICATE_UNTRUSTED, () => (path ? describePath(path) : `issuer ${certificate.issuer}`));
      if (!path || chainError) return reject(DirectoryErrors.CERTIFICATE_UNTRUSTED);
      const certificateError =
        noted(trace, 'validity', checkValidityPeriod(path, now), () => `every certificate of the path valid at ${now.toISOString()}`) ??
        noted(trace, 'key usage', checkKeyUsage(certificate, usage), () => `for ${usage}`) ??
        (await checkNotRevoked(options.revocation, path, now, trace));
      if (certificateError) return reject(certificateError);
      const statement = parsePsd2QcStatement(certificate);
      if (noted(trace, 'PSD2 QCStatement', statement ? undefined : DirectoryErrors.QC_STATEMENT_MISSING, () => (statement ? describeStatement(statement) : ''))) return reject(DirectoryErrors.QC_STATEMENT_MISSING);
      const identifier = certificate.subjectName.getField(ID_ORGANIZATION_IDENTIFIER)[0];
      if (noted(trace, 'organizationIdentifier', identifier ? undefined : DirectoryErrors.ORGANISATION_IDENTIFIER_MISSING, () => identifier ?? '')) return reject(DirectoryErrors.ORGANISATION_IDENTIFIER_MISSING);
      const organisation = await api.organisationByIdentifier(identifier!);
      const known = organisation && organisation.organizationIdentifier === identifier ? organisation : undefined;
      const organisationError = noted(trace, 'directory', known ? checkOrganisationActive(known) : DirectoryErrors.ORGANISATION_UNKNOWN, () => (known ? describeOrganisation(known) : `no organisation ${identifier}`));
      if (organisationError || !known) return reject(organisationError ?? DirectoryErrors.ORGANISATION_UNKNOWN);
      const roles = authorisedRoles(statement!, known);
      if (noted(trace, 'roles', roles.length === 0 ? DirectoryErrors.ROLES_NOT_AUTHORISED : undefined, () => roles.join(', '))) return reject(DirectoryErrors.ROLES_NOT_AUTHORISED);
      const pathValidUntil = new Date(Math.min(...path.map((item) => item.notAfter.getTime())));
      return { ok: true, organisation: known, roles, thumbprint: derThumbprint(der), certificate, pathValidUntil };
    },
    findSoftwareStatement: (softwareId) => api.softwareStatement(softwareId),
    async softwareSigningKeys({ jwksEndpoint }) {
      const remote = softwareJwksAt(jwksEndpoint);
      try {
        if (!remote.fresh) await remote.reload();
        return { keys: (remote.jwks()?.keys ?? []) as JWK[] };
      } catch (error) {
        throw new AppError(DirectoryErrors.DIRECTORY_UNAVAILABLE, { cause: error });
      }
    },
  };
}
