import type { FastifyInstance } from 'fastify';
import { ORGANISATION_STATUSES, REVOCATION_REASONS, type DirectoryApi, type OrganisationStatus, type RevocationReason } from '../../../modules/directory/index.ts';
import { checkOperatorToken } from '../../../modules/sandbox/index.ts';
import type { DeadLetterQueue } from '../../../modules/events/index.ts';
import { AUDIT_KINDS, AuditErrors, auditRecordJson, type AuditApi, type AuditKind } from '../../../modules/audit/index.ts';
import { AppError } from '../../../platform/errors/index.ts';
import { parseInstant } from '../../../platform/calendar/index.ts';

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
  options: { directory: DirectoryApi; deadLetters: DeadLetterQueue; audit: Pick<AuditApi, 'verify' | 'search' | 'exportPage'>; /** The built-in ledger's; absent with a remote core, whose bank changes accounts itself. */ changeAccountStatus: ((accountId: string, status: 'Enabled' | 'Disabled' | 'Deleted') => Promise<boolean>) | undefined; operatorToken: string },
): Promise<void> {
  const { directory, deadLetters, audit, changeAccountStatus, operatorToken } = options;
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
  // Query strings are text (this server's validator does not coerce them): numbers are checked as digits.
  app.get<{ Querystring: { limit?: string; client?: string } }>(
    '/sandbox/v1/operator/event-dead-letters',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'string', pattern: '^(1000|[1-9][0-9]{0,2})$' }, client: { type: 'string', minLength: 1, maxLength: 200 } } } } },
    async (request) => deadLetters.list(Number(request.query.limit ?? 100), request.query.client),
  );

  app.post<{ Body: { ids: string[] | 'all' } }>(
    '/sandbox/v1/operator/event-dead-letters/replay',
    { schema: { body: { type: 'object', required: ['ids'], additionalProperties: false, properties: { ids: { oneOf: [{ const: 'all' }, { type: 'array', maxItems: 10_000, items: { type: 'string', minLength: 1, maxLength: 128 } }] } } } } },
    async (request) => ({ replayed: await deadLetters.replay(request.body.ids) }),
  );

  // `portico audit verify|search` against the embedded database this server holds.
  const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/sandbox/v1/operator/audit/verification',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { from: day, to: day } } } },
    async (request) => JSON.parse(JSON.stringify(await audit.verify({ from: request.query.from, to: request.query.to }), (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))) as unknown,
  );
  const text = { type: 'string', minLength: 1, maxLength: 200 } as const;
  const instant = { type: 'string', minLength: 10, maxLength: 40 } as const;
  const instantOf = (value: string | undefined) => {
    if (value === undefined) return undefined;
    const at = parseInstant(value);
    if (!at) throw new AppError(AuditErrors.QUERY_INVALID, { message: `not a time with its offset nor a UTC day: ${value}` });
    return at;
  };
  type AuditFilters = { client?: string; organisation?: string; consent?: string; psu?: string; interaction?: string; kind?: AuditKind; from?: string; to?: string; limit?: string; cursor?: string };
  const filters = {
    type: 'object',
    additionalProperties: false,
    properties: { client: text, organisation: text, consent: text, psu: text, interaction: text, kind: { type: 'string', enum: AUDIT_KINDS }, from: instant, to: instant, limit: { type: 'string', pattern: '^(1000|[1-9][0-9]{0,2})$' } },
  } as const;
  // Only the export pages on: a cursor given to the search would be ignored, so it is refused there.
  const exportFilters = { ...filters, properties: { ...filters.properties, cursor: { type: 'string', minLength: 1, maxLength: 500 } } } as const;
  const auditQueryOf = (query: AuditFilters) => ({ clientId: query.client, organisationId: query.organisation, consentId: query.consent, psuId: query.psu, interactionId: query.interaction, kind: query.kind, from: instantOf(query.from), to: instantOf(query.to) });
  app.get<{ Querystring: AuditFilters }>('/sandbox/v1/operator/audit/records', { schema: { querystring: filters } }, async (request) => {
    const page = await audit.search(auditQueryOf(request.query), Number(request.query.limit ?? 50));
    return { records: page.records.map(auditRecordJson), more: page.next !== undefined };
  });
  // `portico audit export`: a page at a time, oldest first, each naming the next.
  app.get<{ Querystring: AuditFilters }>('/sandbox/v1/operator/audit/export', { schema: { querystring: exportFilters } }, async (request) => {
    const page = await audit.exportPage(auditQueryOf(request.query), Number(request.query.limit ?? 1000), request.query.cursor);
    return { records: page.records.map(auditRecordJson), next: page.next };
  });

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
