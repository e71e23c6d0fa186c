import { X509Certificate } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../platform/errors/index.ts';
import type { DirectoryApi, OrganisationStatus } from '../../../modules/directory/index.ts';
import { SandboxErrors } from '../../../modules/sandbox/index.ts';

/** The contract's statuses (DESIGN.md §3) and the directory's: a withdrawn organisation is revoked. */
const WIRE_STATUSES = { Active: 'Active', Suspended: 'Suspended', Withdrawn: 'Revoked' } as const satisfies Record<string, OrganisationStatus>;
type WireStatus = keyof typeof WIRE_STATUSES;
const wireStatusOf = (status: OrganisationStatus): WireStatus => (status === 'Revoked' ? 'Withdrawn' : status);

const revokeBody = {
  type: 'object',
  required: ['certificatePem'],
  additionalProperties: false,
  properties: { certificatePem: { type: 'string', minLength: 1, maxLength: 20_000 } },
} as const;
const statusBody = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status: { type: 'string', enum: Object.keys(WIRE_STATUSES) } },
} as const;

function serialOf(pem: string): string {
  try {
    return new X509Certificate(pem).serialNumber;
  } catch {
    throw new AppError(SandboxErrors.CERTIFICATE_UNREADABLE);
  }
}

/**
 * Sandbox trust controls (DESIGN.md §3, sandbox mode only), so an outside client can test its
 * handling of trust decisions: revoke a certificate the sandbox QTSP issued, or change an
 * organisation's status in the sandbox directory. Both apply to the TPP's next call on every
 * instance (the directory generation in the shared cache) and to the CRL.
 */
export async function sandboxTrustControlRoutes(app: FastifyInstance, options: { directory: DirectoryApi }): Promise<void> {
  const { directory } = options;

  app.post<{ Body: { certificatePem: string } }>('/sandbox/v1/certificates/revoke', { schema: { body: revokeBody } }, async (request) => {
    const serialNumber = serialOf(request.body.certificatePem);
    await directory.revokeCertificate(serialNumber, 'unspecified');
    return { serialNumber: serialNumber.toLowerCase(), status: 'Revoked' };
  });

  app.post<{ Params: { organisationId: string }; Body: { status: WireStatus } }>(
    '/sandbox/v1/organisations/:organisationId/status',
    { schema: { params: { type: 'object', properties: { organisationId: { type: 'string', pattern: '^[0-9A-Za-z]{1,18}$' } } }, body: statusBody } },
    async (request) => {
      const organisation = await directory.setOrganisationStatus(request.params.organisationId, WIRE_STATUSES[request.body.status]);
      return { organisationId: organisation.id, status: wireStatusOf(organisation.status) };
    },
  );
}
