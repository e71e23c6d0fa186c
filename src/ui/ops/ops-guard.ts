import type { FastifyReply, FastifyRequest } from 'fastify';
import { roleAllows, type Operator, type OperatorRole } from '../../modules/operators/index.ts';
import type { AuditEntry } from '../../modules/audit/index.ts';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import { html, opsPage, sendOpsPage } from './ops-layout.ts';
import { csrfValid, loadOpsSession, saveOpsSession, type OpsSession } from './ops-session.ts';

/** A signed-in operator's request: the session and the operator as they are now. */
export interface OpsContext {
  readonly session: OpsSession;
  readonly operator: Operator;
}

/** What an action records in the audit trail besides who did it. */
export interface OpsActionRecord {
  readonly action: string;
  readonly outcome: 'success' | 'failure';
  readonly organisationId?: string | undefined;
  readonly clientId?: string | undefined;
  readonly consentId?: string | undefined;
  readonly psuId?: string | undefined;
  readonly details?: Record<string, unknown>;
}

/**
 * The console's named checks, composed by each route: `signedIn` (both factors passed, the
 * operator still enabled; the role read now, so a change applies at once), then for a form
 * `mayAct` (its anti-forgery token, then the role the action needs). Every action is recorded.
 */
export function opsGuard(options: OpsConsoleOptions) {
  const { sessions, operators, audit } = options;

  /** The operator of this request, or a redirect to the login page (undefined: the reply is sent). */
  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<OpsContext | undefined> {
    const session = await loadOpsSession(sessions, request);
    const operator = session?.operatorId ? await operators.find(session.operatorId) : undefined;
    if (!session || !operator || operator.disabledAt) {
      void reply.redirect('/ops/login', 303);
      return undefined;
    }
    await saveOpsSession(sessions, reply, session);
    return { session, operator };
  }

  /**
   * `signedIn` for a script's JSON request (a passkey ceremony): its token comes in the
   * `x-csrf-token` header; a missing login answers 401 and a missing token 403, each with a message.
   */
  async function signedInForScript(request: FastifyRequest, reply: FastifyReply, action: string): Promise<OpsContext | undefined> {
    const session = await loadOpsSession(sessions, request);
    const operator = session?.operatorId ? await operators.find(session.operatorId) : undefined;
    if (!session || !operator || operator.disabledAt) {
      void reply.status(401).send({ message: 'Your session has ended. Log in again.' });
      return undefined;
    }
    if (!csrfValid(session, request.headers['x-csrf-token'])) {
      record(operator, { action, outcome: 'failure', details: { reason: 'csrf' } });
      void reply.status(403).send({ message: 'This page has expired. Reload it and try again.' });
      return undefined;
    }
    await saveOpsSession(sessions, reply, session);
    return { session, operator };
  }

  function forbidden(reply: FastifyReply, context: OpsContext, message: string): undefined {
    void sendOpsPage(reply, opsPage({ title: 'Not allowed', operator: context.operator, csrf: context.session.csrf, body: html`<p class="error" role="alert">${message}</p><p><a href="/ops">Back to the console</a></p>` }), 403);
    return undefined;
  }

  /** For a form post: its token, then the role it needs. 403 page otherwise (recorded as refused). */
  function mayAct(reply: FastifyReply, context: OpsContext, presentedCsrf: unknown, needed: OperatorRole, action: string): boolean {
    if (!csrfValid(context.session, presentedCsrf)) {
      record(context.operator, { action, outcome: 'failure', details: { reason: 'csrf' } });
      forbidden(reply, context, 'This form has expired or did not come from the console. Open the page again and retry.');
      return false;
    }
    if (!roleAllows(context.operator.role, needed)) {
      record(context.operator, { action, outcome: 'failure', details: { reason: 'role', needed } });
      forbidden(reply, context, `Your role (${context.operator.role}) cannot do this: it needs the ${needed} role.`);
      return false;
    }
    return true;
  }

  /** Records a console action: kind `operator`, who (username and role) and what. */
  function record(operator: Pick<Operator, 'username' | 'role'> | string, entry: OpsActionRecord): void {
    const who = typeof operator === 'string' ? { operator } : { operator: operator.username, role: operator.role };
    const auditEntry: AuditEntry = {
      at: new Date(),
      kind: 'operator',
      action: `ops ${entry.action}`,
      outcome: entry.outcome,
      organisationId: entry.organisationId,
      clientId: entry.clientId,
      consentId: entry.consentId,
      psuId: entry.psuId,
      details: { ...who, via: 'console', ...entry.details },
    };
    audit.record(auditEntry);
  }

  return { signedIn, signedInForScript, mayAct, record, forbidden };
}

export type OpsGuard = ReturnType<typeof opsGuard>;
