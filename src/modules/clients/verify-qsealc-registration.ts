import { X509Certificate } from 'node:crypto';
import type { JWK, JWTPayload } from 'jose';
import { AppError } from '../../platform/errors/index.ts';
import { ClientsErrors } from './clients.errors.ts';
import type { ClientsContext } from './ports.ts';
import type { TransportIdentity } from './require-transport-certificate.ts';
import { claimInvalid, verifyRequestSignature } from './verify-request-signature.ts';
import type { Jwks } from '../directory/index.ts';
import type { SoftwareStatementClaims } from './verify-software-statement.ts';

/** A software_id a TPP chooses for itself: the client's software, and the request's `iss`. */
const SOFTWARE_ID = /^[A-Za-z0-9._-]{1,64}$/;

const sealRequired = () =>
  new AppError(ClientsErrors.SOFTWARE_STATEMENT_INVALID, {
    message: 'Without a software_statement, the registration request must be signed with the TPP’s qualified seal (QSealC), its certificate first in the x5c header',
  });

/**
 * OB DCR v3.4 without a software statement, where TPPs are identified by their eIDAS certificates
 * alone (DIRECTORY naming eidas): the request is signed with the TPP's QSealC, whose certificate
 * (chain) is the JWS `x5c` header. The directory must vouch for that certificate as a signing
 * certificate of the organisation of the transport certificate; the signature must verify with its
 * key; `iss` is the `software_id` the TPP names; the other rules are those of any registration.
 * The roles are the transport certificate's as the directory and registers grant them; the
 * redirect URIs are the request's; the client's keys are the QSealC's.
 */
export async function verifyQsealcRegistration(context: ClientsContext, requestJwt: string, transport: TransportIdentity, header: { kid: string; x5c: unknown }): Promise<{ claims: JWTPayload; softwareStatement: string; ssa: SoftwareStatementClaims; softwareJwks: Jwks }> {
  const { x5c } = header;
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((item) => typeof item === 'string')) throw sealRequired();
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(x5c[0] as string, 'base64'));
  } catch {
    throw sealRequired();
  }
  const seal = await context.directory.validateCertificate(certificate.raw, { usage: 'signing', now: context.now?.() ?? new Date() });
  if (!seal.ok) throw seal.error;
  if (seal.organisation.organizationIdentifier !== transport.organisation.organizationIdentifier) throw new AppError(ClientsErrors.CERTIFICATE_ORGANISATION_MISMATCH);
  const claims = await verifyRequestSignature(context, requestJwt, async () => certificate.publicKey);
  const softwareId = claims['software_id'];
  if (typeof softwareId !== 'string' || !SOFTWARE_ID.test(softwareId)) {
    throw claimInvalid('software_id must be 1 to 64 letters, digits, dots, dashes or underscores');
  }
  if (claims.iss !== softwareId) throw claimInvalid('iss must be the software_id');
  const redirectUris = Array.isArray(claims['redirect_uris']) ? (claims['redirect_uris'] as unknown[]).filter((uri): uri is string => typeof uri === 'string') : [];
  const jwk: JWK = { ...(certificate.publicKey.export({ format: 'jwk' }) as JWK), kid: header.kid, use: 'sig', x5c: x5c as string[] };
  return {
    claims,
    softwareStatement: '',
    ssa: {
      softwareId,
      organisationId: transport.organisation.id,
      organisationName: transport.organisation.legalName,
      organisationStatus: 'Active',
      clientName: typeof claims['client_name'] === 'string' ? claims['client_name'] : softwareId,
      roles: [...transport.roles],
      redirectUris,
      jwksEndpoint: '',
    },
    softwareJwks: { keys: [jwk] },
  };
}
