import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CoreBanking } from '../ports/index.ts';
import type { ChangeFeed } from './change-feed.ts';
import * as wire from './core-gateway-wire.ts';

export const CORE_GATEWAY_PREFIX = '/core/v1';

export interface CoreGatewayRoutesOptions {
  readonly core: CoreBanking;
  readonly feed: ChangeFeed;
  /** Longest hold of a `GET /changes` with nothing new (default 60 s, the contract's maximum). */
  readonly maxWaitSeconds?: number;
}

const idParam = z.string().min(1).max(64);
const statementParams = z.strictObject({ accountId: idParam, statementId: idParam });
const transactionParams = z.strictObject({ accountId: idParam, transactionId: idParam });
const periodQuery = z.strictObject({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() });
const findQuery = z.strictObject({ scheme: z.enum(['SortCodeAccountNumber', 'IBAN']), identification: z.string().min(1).max(64) });
const changesQuery = z.strictObject({
  after: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  waitSeconds: z.coerce.number().int().min(0).max(60).default(0),
});

const PROBLEM = 'application/problem+json';

/** A refusal as the contract words it (`Problem`). */
export function sendProblem(reply: FastifyReply, status: number, code: wire.CoreGatewayProblemCode, detail?: string): FastifyReply {
  return reply.code(status).type(PROBLEM).send(JSON.stringify({ title: code.toLowerCase().replace(/_/g, ' '), status, code, ...(detail ? { detail } : {}) }));
}

const send = (reply: FastifyReply, value: unknown): FastifyReply => reply.type('application/json').send(wire.toWireJson(value));
const sendFound = (reply: FastifyReply, value: unknown): FastifyReply => (value === undefined ? sendProblem(reply, 404, 'NOT_FOUND') : send(reply, value));

/** Parses one part of a request; a refusal is sent and undefined returned when it does not fit. */
function parse<T extends z.ZodType>(schema: T, value: unknown, reply: FastifyReply): z.output<T> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  sendProblem(reply, 400, 'INVALID_REQUEST', parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '));
  return undefined;
}

/**
 * The core gateway contract (docs/core-gateway.openapi.yaml) over any core-banking adapter: what
 * `portico core serve` runs over the built-in ledger. Each route parses, calls one port method and
 * maps its answer.
 */
export async function coreGatewayRoutes(app: FastifyInstance, options: CoreGatewayRoutesOptions): Promise<void> {
  const { core, feed } = options;
  const maxWaitSeconds = options.maxWaitSeconds ?? 60;
  const accountRoute = (path: string, read: (accountId: string) => Promise<unknown>, shape: (value: unknown) => unknown = (value) => value) =>
    app.get(`${CORE_GATEWAY_PREFIX}/accounts/:accountId${path}`, async (request: FastifyRequest<{ Params: { accountId: string } }>, reply) => {
      const accountId = parse(idParam, request.params.accountId, reply);
      if (accountId === undefined) return reply;
      const value = await read(accountId);
      return value === undefined ? sendProblem(reply, 404, 'NOT_FOUND') : send(reply, shape(value));
    });

  app.get(`${CORE_GATEWAY_PREFIX}/parties/:partyId`, async (request: FastifyRequest<{ Params: { partyId: string } }>, reply) => {
    const partyId = parse(idParam, request.params.partyId, reply);
    return partyId === undefined ? reply : sendFound(reply, await core.getParty(partyId));
  });
  app.get(`${CORE_GATEWAY_PREFIX}/parties/:partyId/accounts`, async (request: FastifyRequest<{ Params: { partyId: string } }>, reply) => {
    const partyId = parse(idParam, request.params.partyId, reply);
    return partyId === undefined ? reply : send(reply, { accounts: await core.listAccountsOfParty(partyId) });
  });
  app.get(`${CORE_GATEWAY_PREFIX}/parties/:partyId/card-accounts`, async (request: FastifyRequest<{ Params: { partyId: string } }>, reply) => {
    const partyId = parse(idParam, request.params.partyId, reply);
    return partyId === undefined ? reply : send(reply, { accounts: await core.listCardAccountsOfParty(partyId) });
  });
  app.get(`${CORE_GATEWAY_PREFIX}/accounts`, async (request, reply) => {
    const query = parse(findQuery, request.query, reply);
    if (!query) return reply;
    const account = await core.findAccountByIdentifier(query.scheme, query.identification);
    return send(reply, { accounts: account ? [account] : [] });
  });
  accountRoute('', (id) => core.getAccount(id));
  accountRoute('/holders', (id) => core.listAccountHolders(id), (holders) => ({ holders }));
  accountRoute('/balances', (id) => core.getBalances(id));
  accountRoute('/beneficiaries', (id) => core.listBeneficiaries(id), (beneficiaries) => ({ beneficiaries }));
  accountRoute('/direct-debits', (id) => core.listDirectDebits(id), (directDebits) => ({ directDebits }));
  accountRoute('/standing-orders', (id) => core.listStandingOrders(id), (standingOrders) => ({ standingOrders }));
  accountRoute('/scheduled-payments', (id) => core.listScheduledPayments(id), (scheduledPayments) => ({ scheduledPayments }));
  accountRoute('/product', (id) => core.getProduct(id));
  app.get(`${CORE_GATEWAY_PREFIX}/accounts/:accountId/statements`, async (request: FastifyRequest<{ Params: { accountId: string } }>, reply) => {
    const accountId = parse(idParam, request.params.accountId, reply);
    const period = accountId === undefined ? undefined : parse(periodQuery, request.query, reply);
    if (accountId === undefined || !period) return reply;
    const statements = await core.listStatements(accountId, { ...(period.from ? { from: new Date(period.from) } : {}), ...(period.to ? { to: new Date(period.to) } : {}) });
    return send(reply, { statements });
  });
  app.get(`${CORE_GATEWAY_PREFIX}/accounts/:accountId/statements/:statementId`, async (request, reply) => {
    const params = parse(statementParams, request.params, reply);
    return params ? sendFound(reply, await core.getStatement(params.accountId, params.statementId)) : reply;
  });
  app.get(`${CORE_GATEWAY_PREFIX}/accounts/:accountId/transactions/:transactionId`, async (request, reply) => {
    const params = parse(transactionParams, request.params, reply);
    return params ? sendFound(reply, await core.getTransaction(params.accountId, params.transactionId)) : reply;
  });
  app.post(`${CORE_GATEWAY_PREFIX}/account-overviews`, async (request, reply) => {
    const body = parse(wire.accountIdsWire, request.body, reply);
    return body ? send(reply, { overviews: [...(await core.getAccountOverviews(body.accountIds)).values()] }) : reply;
  });
  app.post(`${CORE_GATEWAY_PREFIX}/transactions/search`, async (request, reply) => {
    const body = parse(wire.transactionQueryWire, request.body, reply);
    if (!body) return reply;
    const { accountIds, ...query } = body;
    const page = await core.listTransactions(accountIds, query);
    return page ? send(reply, page) : sendProblem(reply, 404, 'CURSOR_UNKNOWN');
  });
  app.put(`${CORE_GATEWAY_PREFIX}/account-orders`, async (request, reply) => {
    const change = parse(wire.accountOrderChangeWire, request.body, reply);
    if (!change) return reply;
    await core.recordOrder(change);
    return reply.code(204).send();
  });
  app.post(`${CORE_GATEWAY_PREFIX}/funds-checks`, async (request, reply) => {
    const body = parse(wire.fundsCheckWire, request.body, reply);
    return body ? send(reply, { sufficient: await core.checkFunds(body.accountId, body.amount) }) : reply;
  });
  app.post(`${CORE_GATEWAY_PREFIX}/payments`, async (request, reply) => {
    const submission = parse(wire.paymentSubmissionWire, request.body, reply);
    if (!submission) return reply;
    if (request.headers['idempotency-key'] !== submission.externalRef) {
      return sendProblem(reply, 400, 'IDEMPOTENCY_KEY_MISMATCH', 'the Idempotency-Key header must equal the body\'s externalRef');
    }
    return send(reply, await core.submit(submission));
  });
  app.get(`${CORE_GATEWAY_PREFIX}/payments/:externalRef`, async (request: FastifyRequest<{ Params: { externalRef: string } }>, reply) => {
    const externalRef = parse(z.string().min(1).max(128), request.params.externalRef, reply);
    return externalRef === undefined ? reply : sendFound(reply, await core.paymentStatus(externalRef));
  });
  app.get(`${CORE_GATEWAY_PREFIX}/changes`, async (request, reply) => {
    const query = parse(changesQuery, request.query, reply);
    if (!query) return reply;
    // A long poll ends early when the caller goes away.
    const gone = new AbortController();
    request.raw.once('close', () => gone.abort());
    const page = await feed.read(query.after, query.limit, Math.min(query.waitSeconds, maxWaitSeconds) * 1000, gone.signal);
    return page ? send(reply, page) : sendProblem(reply, 400, 'CURSOR_UNKNOWN', 'after is not a cursor of this feed');
  });
}
