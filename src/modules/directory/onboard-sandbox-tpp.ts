import { randomUUID } from 'node:crypto';
import { AppError } from '../../platform/errors/index.ts';
import { newOrganisation } from './create-organisation.ts';
import { createTppCertificates, type TppCredentials } from './create-tpp-certificates.ts';
import { randomSoftwareId } from './directory-ids.ts';
import { TPP_ROLES, type Organisation, type TppRole } from './directory-model.ts';
import type { DirectoryRepository } from './directory.repository.port.ts';
import type { DirectorySigner } from './directory-signer.ts';
import { DirectoryErrors } from './directory.errors.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';
import { softwareStatementIssuer } from './software-statement.ts';

export interface OnboardSandboxTppInput {
  readonly organisationName: string;
  readonly roles: readonly string[];
  readonly redirectUris: readonly string[];
  /** Public base URL: the SSA issuer and the JWKS and CRL endpoints hang off it. */
  readonly publicUrl: string;
}

/** DESIGN.md §3 sandbox onboarding response. */
export interface OnboardedTpp extends TppCredentials {
  readonly organisationId: string;
  readonly softwareId: string;
  /** The SSA: a PS256 JWT signed by the directory. */
  readonly softwareStatement: string;
}

const ATTEMPTS = 3;
const UNIQUE_VIOLATION = '23505';

/**
 * Registers a sandbox TPP end to end: organisation, software statement, transport and signing
 * certificates (one transaction), then the SSA. Random ids can collide (six-digit authorisation
 * numbers do, eventually), so a unique violation retries with fresh ids.
 */
export async function onboardSandboxTpp(records: DirectoryRepository, qtsp: SandboxQtsp, signer: DirectorySigner, input: OnboardSandboxTppInput): Promise<OnboardedTpp> {
  const request = checkRequest(input);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await onboardOnce(records, qtsp, signer, request);
    } catch (error) {
      if (attempt >= ATTEMPTS || (error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    }
  }
}

interface CheckedRequest {
  readonly organisationName: string;
  readonly roles: TppRole[];
  readonly redirectUris: string[];
  readonly publicUrl: string;
}

async function onboardOnce(records: DirectoryRepository, qtsp: SandboxQtsp, signer: DirectorySigner, request: CheckedRequest): Promise<OnboardedTpp> {
  const now = new Date();
  const organisation = newOrganisation({ legalName: request.organisationName, roles: request.roles, now });
  const softwareId = randomSoftwareId();
  // Keys are generated before the transaction so it stays short.
  const certificates = await createTppCertificates(qtsp, { organisation, softwareId, publicUrl: request.publicUrl, now });
  await records.addTpp({
    organisation,
    softwareStatement: {
      softwareId,
      organisationId: organisation.id,
      clientName: request.organisationName,
      redirectUris: request.redirectUris,
      roles: request.roles,
      jwks: { keys: [certificates.signingJwk] },
      status: 'Active',
      createdAt: now,
    },
    certificates: certificates.records,
  });
  const softwareStatement = await signer.signJwt(ssaClaims(request, organisation, softwareId, now));
  return { organisationId: organisation.id, softwareId, softwareStatement, ...certificates.credentials };
}

/** The OB Directory SSA claims (OB DCR v3.4 "Software Statement Assertion"). */
function ssaClaims(request: CheckedRequest, organisation: Organisation, softwareId: string, now: Date): Record<string, unknown> {
  const base = request.publicUrl;
  return {
    iss: softwareStatementIssuer(base),
    iat: Math.floor(now.getTime() / 1000),
    jti: randomUUID(),
    software_environment: 'sandbox',
    software_mode: 'Test',
    software_id: softwareId,
    software_client_id: softwareId,
    software_client_name: request.organisationName,
    software_client_description: `${request.organisationName} sandbox software`,
    software_version: '1.0',
    software_roles: request.roles,
    software_redirect_uris: request.redirectUris,
    software_jwks_endpoint: `${base}/directory/v1/software/${softwareId}/jwks`,
    org_id: organisation.id,
    org_name: organisation.legalName,
    org_status: 'Active',
    org_jwks_endpoint: `${base}/directory/v1/organisations/${organisation.id}/jwks`,
  };
}

// RFC 5280 Appendix A: ub-organization-name is 64; the name goes into the certificates' O.
const MAX_NAME_LENGTH = 64;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function checkRequest(input: OnboardSandboxTppInput): CheckedRequest {
  const organisationName = input.organisationName.trim();
  if (organisationName.length === 0 || organisationName.length > MAX_NAME_LENGTH || CONTROL_CHARACTERS.test(organisationName)) {
    throw new AppError(DirectoryErrors.INVALID_ORGANISATION_NAME, { details: [{ path: 'organisationName' }] });
  }
  const roles = [...new Set(input.roles)];
  if (roles.length === 0 || !roles.every((role): role is TppRole => (TPP_ROLES as readonly string[]).includes(role))) {
    throw new AppError(DirectoryErrors.INVALID_ROLES, { details: [{ path: 'roles' }] });
  }
  const redirectUris = [...new Set(input.redirectUris)];
  // FAPI 1.0 Advanced §5.2.2-20: redirect URIs use https; RFC 6749 §3.1.2: no fragment.
  if (redirectUris.length === 0 || !redirectUris.every(isHttpsUrlWithoutFragment)) {
    throw new AppError(DirectoryErrors.INVALID_REDIRECT_URIS, { details: [{ path: 'redirectUris' }] });
  }
  return { organisationName, roles, redirectUris, publicUrl: input.publicUrl.replace(/\/+$/, '') };
}

function isHttpsUrlWithoutFragment(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' && url.hash === '' && !value.includes('#');
}
