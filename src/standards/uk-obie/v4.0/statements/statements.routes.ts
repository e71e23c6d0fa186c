import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountErrors, detailLevel } from '../../../../modules/accounts/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { AISP, readScope, selfUrl, singlePage, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { bookingDateParam, pageParam } from '../account-information/booking-date-param.ts';
import { consentedAccountOf, authorisedConsentOf } from '../security/security-context.ts';
import { toObReadTransaction } from '../transactions/transactions.routes.ts';
import { toObTransaction } from '../transactions/transactions.schema.ts';
import { statementCsv, toObStatement } from './statements.schema.ts';
import { accessScopeOf } from '../../../../modules/consents/index.ts';

interface StatementParams {
  AccountId: string;
  StatementId: string;
}

/** The statement file's format from `Accept`: JSON (`File`) unless the TPP asks for CSV only. */
function fileFormat(accept: string | undefined): 'json' | 'csv' {
  if (!accept) return 'json';
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  if (types.some((t) => t === 'application/json' || t === '*/*' || t === 'application/*')) return 'json';
  if (types.some((t) => t === 'text/csv' || t === 'text/*')) return 'csv';
  throw new AppError(AccountErrors.FILE_FORMAT_NOT_ACCEPTABLE);
}

/**
 * OB v4.0 statements: `GET /accounts/{AccountId}/statements` and `GET /statements` (filtered by
 * `fromStatementDateTime`/`toStatementDateTime`), one statement, its file and its transactions.
 */
export async function statementsRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const list = async (request: FastifyRequest) => {
    const { consent, accountIds } = readScope(request);
    const statements = await context.reads.statements(consent, accountIds, {
      from: bookingDateParam(request.query, 'fromStatementDateTime'),
      to: bookingDateParam(request.query, 'toStatementDateTime'),
    });
    const cluster = detailLevel(accessScopeOf(consent), 'statements');
    return { Data: { Statement: statements.map((s) => toObStatement(s, cluster)) }, ...singlePage(request, context.publicUrl) };
  };
  app.get(`${AISP}/accounts/:AccountId/statements`, { onRequest: context.pipeline('statements', 'account') }, list);
  app.get(`${AISP}/statements`, { onRequest: context.pipeline('statements', 'bulk') }, list);

  app.get<{ Params: StatementParams }>(`${AISP}/accounts/:AccountId/statements/:StatementId`, { onRequest: context.pipeline('statements', 'account') }, async (request) => {
    const consent = authorisedConsentOf(request);
    const statement = await context.reads.statement(consent, consentedAccountOf(request), request.params.StatementId);
    return { Data: { Statement: [toObStatement(statement, detailLevel(accessScopeOf(consent), 'statements'))] }, ...singlePage(request, context.publicUrl) };
  });

  app.get<{ Params: StatementParams }>(
    `${AISP}/accounts/:AccountId/statements/:StatementId/file`,
    { onRequest: context.pipeline('statement-file', 'account') },
    async (request, reply: FastifyReply) => {
      const format = fileFormat(request.headers.accept);
      const consent = authorisedConsentOf(request);
      const file = await context.reads.statementFile(consent, consentedAccountOf(request), request.params.StatementId);
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(statementCsv(file.transactions));
      const cluster = detailLevel(accessScopeOf(consent), 'transactions');
      return {
        Statement: toObStatement(file.statement, 'detail'),
        Transaction: file.transactions.map((t) => toObTransaction(t, cluster)),
        Links: { Self: selfUrl(request, context.publicUrl) },
      };
    },
  );

  app.get<{ Params: StatementParams }>(
    `${AISP}/accounts/:AccountId/statements/:StatementId/transactions`,
    { onRequest: context.pipeline('statement-transactions', 'account') },
    async (request) => {
      const consent = authorisedConsentOf(request);
      const listing = await context.reads.statementTransactions(consent, consentedAccountOf(request), request.params.StatementId, pageParam(request.query));
      return toObReadTransaction(request, context.publicUrl, listing, detailLevel(accessScopeOf(consent), 'statement-transactions'));
    },
  );
}
