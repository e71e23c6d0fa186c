import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DirectoryApi, SandboxQtsp } from '../../../modules/directory/index.ts';

/** An OCSP request names a few certificates; anything larger is not one. */
const MAX_OCSP_REQUEST_BYTES = 8 * 1024;

/**
 * The directory's public endpoints, as an OB-style directory publishes them: its own JWKS (to
 * verify SSAs), each organisation's and software statement's JWKS (to verify TPP signatures —
 * the SSA's `software_jwks_endpoint`), and the sandbox QTSP's root certificate, CRL and OCSP responder.
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

  // RFC 6960 Appendix A: OCSP over HTTP, POST with the DER request as the body, or GET with it
  // base64 and URL-encoded in the path. Answers are signed and read fresh, so no HTTP cache keeps them.
  app.addContentTypeParser('application/ocsp-request', { parseAs: 'buffer', bodyLimit: MAX_OCSP_REQUEST_BYTES }, (_request, body, done) => done(null, body));
  const answerOcsp = async (der: Uint8Array, reply: FastifyReply) =>
    reply.type('application/ocsp-response').header('cache-control', 'no-store').send(Buffer.from(await directory.answerOcspRequest(qtsp, der)));
  app.post('/directory/v1/ocsp', async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) return reply.code(415).type('text/plain').send('an OCSP request is sent as application/ocsp-request');
    return answerOcsp(request.body, reply);
  });
  app.get<{ Params: { '*': string } }>('/directory/v1/ocsp/*', async (request, reply) => {
    // Anything that does not decode to an OCSP request is answered `malformedRequest` (RFC 6960 §2.3).
    const encoded = request.params['*'].slice(0, MAX_OCSP_REQUEST_BYTES * 2);
    return answerOcsp(Buffer.from(encoded, 'base64'), reply);
  });

  // A revocation is listed by the next fetch (publishedCrl), so HTTP caches revalidate every time.
  app.get('/directory/v1/crl', async (_request, reply) =>
    reply.type('application/pkix-crl').header('cache-control', 'public, no-cache').send(Buffer.from(await directory.publishedCrl(qtsp))),
  );
}
