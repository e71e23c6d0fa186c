import type { FastifyInstance } from 'fastify';
import type { DirectoryApi, SandboxQtsp } from '../../../modules/directory/index.ts';
import { tppConnectionDetails } from './tpp-connection-details.ts';

const onboardingBody = {
  type: 'object',
  required: ['organisationName', 'roles', 'redirectUris'],
  additionalProperties: false,
  properties: {
    organisationName: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    redirectUris: { type: 'array', items: { type: 'string' } },
  },
} as const;

interface OnboardingBody {
  organisationName: string;
  roles: string[];
  redirectUris: string[];
}

/**
 * `POST /sandbox/v1/tpps` (DESIGN.md §3): onboards a sandbox TPP in one call — organisation,
 * software statement (SSA), QWAC-style transport and QSealC-style signing certificates — and, beyond
 * the contract's fields, the values its first calls need (`registration`, `messageSigning`; see
 * docs/dynamic-client-registration.md). Registered in sandbox mode only.
 */
export async function sandboxTppsRoutes(app: FastifyInstance, options: { directory: DirectoryApi; qtsp: SandboxQtsp; publicUrl: string }): Promise<void> {
  app.post<{ Body: OnboardingBody }>('/sandbox/v1/tpps', { schema: { body: onboardingBody } }, async (request, reply) => {
    const onboarded = await options.directory.onboardSandboxTpp(options.qtsp, { ...request.body, publicUrl: options.publicUrl });
    const details = tppConnectionDetails({
      organisationId: onboarded.organisationId,
      softwareId: onboarded.softwareId,
      transportCertificatePem: onboarded.transport.certificatePem,
      publicUrl: options.publicUrl,
    });
    return reply.status(201).send({ ...onboarded, ...details });
  });
}
