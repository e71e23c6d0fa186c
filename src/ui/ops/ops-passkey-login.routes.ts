import type { FastifyInstance } from 'fastify';
import { PasskeyRefused } from '../../modules/operators/index.ts';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsGuard } from './ops-guard.ts';
import { csrfValid, endOpsSession, loadOpsSession, newOpsSession, saveOpsSession } from './ops-session.ts';

/**
 * "Sign in with a passkey" on the login page (script-driven; JSON in and out, the login session's
 * token in `x-csrf-token`). No username is asked: the options allow any of the bank's discoverable
 * credentials, and the one the authenticator answers with names the operator. The challenge is
 * the login session's, taken once. User verification is required, so the passkey stands for both
 * factors; the session issued is the one password and one-time code lead to.
 */
export async function opsPasskeyLoginRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { sessions, operators, guard } = options;
  const expired = { message: 'The login page expired. Reload it and try again.' };

  app.post('/ops/login/passkey/options', async (request, reply) => {
    const session = await loadOpsSession(sessions, request);
    if (!session || !csrfValid(session, request.headers['x-csrf-token'])) return reply.status(403).send(expired);
    return operators.startPasskeyLogin(session.id);
  });

  app.post('/ops/login/passkey', async (request, reply) => {
    const session = await loadOpsSession(sessions, request);
    if (!session || !csrfValid(session, request.headers['x-csrf-token'])) {
      guard.record('unknown', { action: 'login passkey', outcome: 'failure', details: { reason: 'csrf' } });
      return reply.status(403).send(expired);
    }
    try {
      const { operator, passkey } = await operators.finishPasskeyLogin(request.body as never, session.id);
      await endOpsSession(sessions, reply, session);
      await saveOpsSession(sessions, reply, newOpsSession({ operatorId: operator.id }));
      guard.record(operator, { action: 'login', outcome: 'success', details: { factors: ['passkey'], passkey: passkey.name } });
      return reply.send({ location: '/ops' });
    } catch (error) {
      if (!(error instanceof PasskeyRefused)) throw error;
      guard.record(error.operator ?? 'unknown', { action: 'login passkey', outcome: 'failure', details: { reason: error.refusal } });
      return reply.status(401).send({ message: error.message });
    }
  });
}
