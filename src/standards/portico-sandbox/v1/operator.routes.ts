import type { FastifyInstance } from 'fastify';
import { ORGANISATION_STATUSES, REVOCATION_REASONS, type DirectoryApi, type OrganisationStatus, type RevocationReason } from '../../../modules/directory/index.ts';
import { checkOperatorToken } from '../../../modules/sandbox/index.ts';
import type { DeadLetterQueue } from '../../../modules/events/index.ts';

const revocationBody = {
  type: 'object',
  required: ['serialNumber'],
  additionalProperties: false,
  properties: {
    serialNumber: { type: 'string', pattern: '^[0-9A-Fa-f]{1,64}$' },
    reason: { type: 'string', enum: REVOCATION_REASONS },
  },
} as const;

const statusBody = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status: { type: 'string', enum: ORGANISATION_STATUSES } },
} as const;

/**
 * The operator API of a server that holds an embedded data dir: what `portico directory …`
 * would otherwise write into the database, which only the holder may open (PGlite is one
 * process's database). Callers present the token the server wrote into the data dir's lock file.
 */
export async function sandboxOperatorRoutes(
  app: FastifyInstance,
  options: { directory: DirectoryApi; deadLetters: DeadLetterQueue; /** The built-in ledger's; absent with a remote core, whose bank changes accounts itself. */ changeAccountStatus: ((accountId: string, status: 'Enabled' | 'Disabled' | 'Deleted') => Promise<boolean>) | undefined; operatorToken: string },
): Promise<void> {
  const { directory, deadLetters, changeAccountStatus, operatorToken } = options;
  app.addHook('onRequest', async (request) => checkOperatorToken(operatorToken, request.headers.authorization));

  app.post<{ Body: { serialNumber: string; reason?: RevocationReason } }>('/sandbox/v1/operator/certificate-revocations', { schema: { body: revocationBody } }, async (request, reply) => {
    await directory.revokeCertificate(request.body.serialNumber, request.body.reason ?? 'unspecified');
    return reply.status(204).send();
  });

  app.put<{ Params: { organisationId: string }; Body: { status: OrganisationStatus } }>(
    '/sandbox/v1/operator/organisations/:organisationId/status',
    { schema: { params: { type: 'object', properties: { organisationId: { type: 'string', pattern: '^[0-9A-Za-z]{1,18}$' } } }, body: statusBody } },
    async (request) => {
      const organisation = await directory.setOrganisationStatus(request.params.organisationId, request.body.status);
      return { organisationId: organisation.id, status: organisation.status };
    },
  );

  // `portico events dlq list|replay` against the embedded database this server holds.
  app.get<{ Querystring: { limit?: number; client?: string } }>(
    '/sandbox/v1/operator/event-dead-letters',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 }, client: { type: 'string', minLength: 1, maxLength: 200 } } } } },
    async (request) => deadLetters.list(request.query.limit ?? 100, request.query.client),
  );

  app.post<{ Body: { ids: string[] | 'all' } }>(
    '/sandbox/v1/operator/event-dead-letters/replay',
    { schema: { body: { type: 'object', required: ['ids'], additionalProperties: false, properties: { ids: { oneOf: [{ const: 'all' }, { type: 'array', maxItems: 10_000, items: { type: 'string', minLength: 1, maxLength: 128 } }] } } } } },
    async (request) => ({ replayed: await deadLetters.replay(request.body.ids) }),
  );

  // `portico accounts status` against the embedded database this server holds.
  if (!changeAccountStatus) return;
  app.put<{ Params: { accountId: string }; Body: { status: 'Enabled' | 'Disabled' | 'Deleted' } }>(
    '/sandbox/v1/operator/accounts/:accountId/status',
    {
      schema: {
        params: { type: 'object', properties: { accountId: { type: 'string', minLength: 1, maxLength: 128 } } },
        body: { type: 'object', required: ['status'], additionalProperties: false, properties: { status: { type: 'string', enum: ['Enabled', 'Disabled', 'Deleted'] } } },
      },
    },
    async (request) => ({ found: await changeAccountStatus(request.params.accountId, request.body.status) }),
  );
}
