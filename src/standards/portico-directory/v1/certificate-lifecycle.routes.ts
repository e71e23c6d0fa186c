import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors/index.ts';
import { DirectoryErrors, REVOCATION_REASONS, type CertificateSummary, type DirectoryApi, type IssuedCertificate, type RevocationReason, type SandboxQtsp } from '../../../modules/directory/index.ts';

const organisationParams = { type: 'object', properties: { organisationId: { type: 'string', pattern: '^[0-9A-Za-z]{1,18}$' } } } as const;
const certificateParams = { type: 'object', properties: { organisationId: organisationParams.properties.organisationId, serialNumber: { type: 'string', pattern: '^[0-9A-Fa-f]{2,40}$' } } } as const;
const csr = { type: 'string', minLength: 1, maxLength: 20_000 } as const;
const issueBody = {
  type: 'object',
  required: ['softwareId', 'usage', 'csr'],
  additionalProperties: false,
  properties: { softwareId: { type: 'string', minLength: 1, maxLength: 64 }, usage: { type: 'string', enum: ['transport', 'signing'] }, csr },
} as const;
const renewBody = { type: 'object', required: ['csr'], additionalProperties: false, properties: { csr } } as const;
const revokeBody = { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', enum: [...REVOCATION_REASONS] } } } as const;

const wireOf = (certificate: CertificateSummary) => ({ ...certificate, notBefore: certificate.notBefore.toISOString(), notAfter: certificate.notAfter.toISOString() });
const issuedWire = (issued: IssuedCertificate) => ({ ...wireOf(issued.certificate), certificatePem: issued.certificatePem, ...(issued.jwk ? { jwk: issued.jwk } : {}) });

/**
 * The TPP's certificate lifecycle at the sandbox directory (the directory products banks buy do
 * this): submit a PKCS#10 CSR for a transport or signing certificate and get it from the sandbox
 * QTSP, list the organisation's certificates (each with its days to expiry) or read one, renew one
 * with a new CSR, revoke one. A certificate's URL here is the subject of its expiry warnings
 * (docs/events.md). Over mutual TLS:
 * the TPP's current transport certificate must be one the directory trusts now, of the
 * organisation in the path. A signing certificate's key is published in its software's JWKS.
 */
export async function certificateLifecycleRoutes(app: FastifyInstance, options: { directory: DirectoryApi; qtsp: SandboxQtsp; publicUrl: string }): Promise<void> {
  const { directory, qtsp, publicUrl } = options;

  /** Security step: the caller is the organisation of the path, by the transport certificate it presents now. */
  const requireOrganisation = async (request: FastifyRequest, organisationId: string) => {
    const certificate = request.clientCertificate();
    if (!certificate?.transportTrusted) throw new AppError(DirectoryErrors.CERTIFICATE_UNKNOWN, { message: 'A transport certificate the directory issued is required (mutual TLS)' });
    const verdict = await directory.validateTppCertificate(qtsp, certificate.der, { usage: 'transport' });
    if (!verdict.ok) throw verdict.error;
    if (verdict.organisation.id !== organisationId) throw new AppError(DirectoryErrors.NOT_YOUR_ORGANISATION);
  };

  app.post<{ Params: { organisationId: string }; Body: { softwareId: string; usage: 'transport' | 'signing'; csr: string } }>(
    '/directory/v1/organisations/:organisationId/certificates',
    { schema: { params: organisationParams, body: issueBody } },
    async (request, reply) => {
      await requireOrganisation(request, request.params.organisationId);
      const { softwareId, usage, csr: csrPem } = request.body;
      const issued = await directory.issueCertificateFromCsr(qtsp, { organisationId: request.params.organisationId, softwareId, usage, csrPem, publicUrl });
      return reply.code(201).send(issuedWire(issued));
    },
  );

  app.get<{ Params: { organisationId: string } }>('/directory/v1/organisations/:organisationId/certificates', { schema: { params: organisationParams } }, async (request) => {
    await requireOrganisation(request, request.params.organisationId);
    return { certificates: (await directory.listOrganisationCertificates(request.params.organisationId)).map(wireOf) };
  });

  app.get<{ Params: { organisationId: string; serialNumber: string } }>('/directory/v1/organisations/:organisationId/certificates/:serialNumber', { schema: { params: certificateParams } }, async (request) => {
    await requireOrganisation(request, request.params.organisationId);
    return wireOf(await directory.getOrganisationCertificate(request.params.organisationId, request.params.serialNumber));
  });

  app.post<{ Params: { organisationId: string; serialNumber: string }; Body: { csr: string } }>(
    '/directory/v1/organisations/:organisationId/certificates/:serialNumber/renewal',
    { schema: { params: certificateParams, body: renewBody } },
    async (request, reply) => {
      await requireOrganisation(request, request.params.organisationId);
      const issued = await directory.renewCertificate(qtsp, request.params.organisationId, request.params.serialNumber, request.body.csr, publicUrl);
      return reply.code(201).send(issuedWire(issued));
    },
  );

  app.post<{ Params: { organisationId: string; serialNumber: string }; Body: { reason?: RevocationReason } | undefined }>(
    '/directory/v1/organisations/:organisationId/certificates/:serialNumber/revocation',
    { schema: { params: certificateParams, body: revokeBody } },
    async (request) => {
      await requireOrganisation(request, request.params.organisationId);
      const serialNumber = request.params.serialNumber.toLowerCase();
      await directory.revokeOrganisationCertificate(request.params.organisationId, serialNumber, request.body?.reason ?? 'unspecified');
      return { serialNumber, status: 'revoked' };
    },
  );
}
