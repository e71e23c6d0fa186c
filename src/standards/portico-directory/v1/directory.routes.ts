import type { FastifyInstance } from 'fastify';
import type { DirectoryApi, SandboxQtsp } from '../../../modules/directory/index.ts';

/**
 * The directory's public endpoints, as an OB-style directory publishes them: its own JWKS (to
 * verify SSAs), each organisation's and software statement's JWKS (to verify TPP signatures —
 * the SSA's `software_jwks_endpoint`), and the sandbox QTSP's root certificate and CRL.
 */
export async function directoryRoutes(app: FastifyInstance, options: { directory: DirectoryApi; qtsp: SandboxQtsp }): Promise<void> {
  const { directory, qtsp } = options;

  app.get('/directory/v1/jwks', async (_request, reply) => reply.type('application/jwk-set+json').send(await directory.directoryJwks()));

  app.get<{ Params: { orgId: string } }>('/directory/v1/organisations/:orgId/jwks', async (request, reply) =>
    reply.type('application/jwk-set+json').send(await directory.organisationJwks(request.params.orgId)),
  );

  app.get<{ Params: { softwareId: string } }>('/directory/v1/software/:softwareId/jwks', async (request, reply) =>
    reply.type('application/jwk-set+json').send(await directory.softwareJwks(request.params.softwareId)),
  );

  // The sandbox QTSP's root: the trust anchor of TPP certificates, for TPP test servers and tools.
  app.get('/directory/v1/qtsp/root.pem', async (_request, reply) => reply.type('application/x-pem-file').send(qtsp.rootCertificatePem));

  // A revocation is listed by the next fetch (publishedCrl), so HTTP caches revalidate every time.
  app.get('/directory/v1/crl', async (_request, reply) =>
    reply.type('application/pkix-crl').header('cache-control', 'public, no-cache').send(Buffer.from(await directory.publishedCrl(qtsp))),
  );
}
