import type { FastifyInstance, FastifyReply } from 'fastify';
import { isAppError } from '../../platform/errors/index.ts';
import { LoginThrottled } from '../../modules/psu-identity/index.ts';
import { OperatorsErrors } from '../../modules/operators/index.ts';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsGuard } from './ops-guard.ts';
import { csrfField, html, opsPage, sendOpsPage } from './ops-layout.ts';
import { csrfValid, endOpsSession, loadOpsSession, newOpsSession, saveOpsSession } from './ops-session.ts';

interface LoginForm {
  username?: string;
  password?: string;
  otp?: string;
  csrf?: string;
}

/**
 * Console login: password, then the one-time code (both required), each step a normal form post
 * with the labels of the PSU pages (DESIGN.md §3: `Username`, `Password`, `One-time code`).
 * Attempts are throttled by the PSU login guard; each outcome is recorded in the audit trail.
 * The page also offers a passkey (ops-passkey-login.routes.ts, shown when the browser has
 * WebAuthn) and, when configured, single sign-on.
 */
export async function opsLoginRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { sessions, operators, guard } = options;

  const loginPage = (reply: FastifyReply, csrf: string, error?: string, username?: string, status = 200) =>
    sendOpsPage(
      reply,
      opsPage({
        title: 'Log in to the operations console',
        csrf,
        scripts: ['webauthn.js', 'passkeys.js'],
        body: html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/ops/login">
${csrfField(csrf)}
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required value="${username ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>
<p><button class="primary" type="button" hidden data-passkey-authenticate="/ops/login/passkey">Sign in with a passkey</button></p>
${options.singleSignOn ? html`<p><a class="button" href="/ops/login/oidc">Log in with the bank's single sign-on</a></p>` : ''}
${options.sandbox ? html`<p class="hint">Sandbox mode: the seeded operator logins (viewer, operator, admin) are listed at <a href="/sandbox/v1/operators">GET /sandbox/v1/operators</a>.</p>` : ''}`,
      }),
      status,
    );
  const codePage = (reply: FastifyReply, csrf: string, error?: string, status = 200) =>
    sendOpsPage(
      reply,
      opsPage({
        title: 'Enter your one-time code',
        body: html`<p>Open your authenticator app and enter the 6-digit code for the Portico console.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/ops/login/otp">
${csrfField(csrf)}
<label for="otp">One-time code</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
<div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>`,
      }),
      status,
    );

  // A session (and its token) from the first page on: the login form is protected against forgery too.
  app.get('/ops/login', async (_request, reply) => {
    const session = newOpsSession();
    await saveOpsSession(sessions, reply, session);
    return loginPage(reply, session.csrf);
  });

  app.post<{ Body: LoginForm }>('/ops/login', async (request, reply) => {
    const session = await loadOpsSession(sessions, request);
    const username = String(request.body?.username ?? '');
    if (!session || !csrfValid(session, request.body?.csrf)) {
      const fresh = newOpsSession();
      await saveOpsSession(sessions, reply, fresh);
      return loginPage(reply, fresh.csrf, 'The login form expired. Try again.', username, 403);
    }
    try {
      const operator = await operators.authenticatePassword(username, String(request.body?.password ?? ''), request.ip);
      await endOpsSession(sessions, reply, session);
      await saveOpsSession(sessions, reply, newOpsSession({ pendingOperatorId: operator.id }));
      guard.record(operator, { action: 'login password', outcome: 'success' });
      return reply.redirect('/ops/login/otp', 303);
    } catch (error) {
      if (error instanceof LoginThrottled) {
        guard.record(username, { action: 'login password', outcome: 'failure', details: { reason: 'throttled' } });
        reply.header('retry-after', String(error.retryAfterSeconds));
        return loginPage(reply, session.csrf, error.message, username, 429);
      }
      if (isAppError(error) && error.code === OperatorsErrors.INVALID_CREDENTIALS.code) {
        guard.record(username, { action: 'login password', outcome: 'failure', details: { reason: 'invalid-credentials' } });
        return loginPage(reply, session.csrf, error.message, username, 401);
      }
      throw error;
    }
  });

  app.get('/ops/login/otp', async (request, reply) => {
    const session = await loadOpsSession(sessions, request);
    if (!session?.pendingOperatorId) return reply.redirect('/ops/login', 303);
    return codePage(reply, session.csrf);
  });

  app.post<{ Body: LoginForm }>('/ops/login/otp', async (request, reply) => {
    const session = await loadOpsSession(sessions, request);
    if (!session?.pendingOperatorId) return reply.redirect('/ops/login', 303);
    if (!csrfValid(session, request.body?.csrf)) return codePage(reply, session.csrf, 'The form expired. Try again.', 403);
    try {
      const operator = await operators.verifyOneTimeCode(session.pendingOperatorId, String(request.body?.otp ?? ''), request.ip);
      await endOpsSession(sessions, reply, session);
      await saveOpsSession(sessions, reply, newOpsSession({ operatorId: operator.id }));
      guard.record(operator, { action: 'login', outcome: 'success', details: { factors: ['password', 'one-time-code'] } });
      return reply.redirect('/ops', 303);
    } catch (error) {
      const operator = await operators.find(session.pendingOperatorId);
      if (error instanceof LoginThrottled) {
        guard.record(operator?.username ?? session.pendingOperatorId, { action: 'login one-time-code', outcome: 'failure', details: { reason: 'throttled' } });
        reply.header('retry-after', String(error.retryAfterSeconds));
        return codePage(reply, session.csrf, error.message, 429);
      }
      if (isAppError(error) && error.code === OperatorsErrors.INVALID_ONE_TIME_CODE.code) {
        guard.record(operator?.username ?? session.pendingOperatorId, { action: 'login one-time-code', outcome: 'failure', details: { reason: 'invalid-code' } });
        return codePage(reply, session.csrf, error.message, 401);
      }
      throw error;
    }
  });

  app.post<{ Body: LoginForm }>('/ops/logout', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    if (!csrfValid(context.session, request.body?.csrf)) return guard.forbidden(reply, context, 'This form has expired. Open the page again and retry.') ?? reply;
    await endOpsSession(sessions, reply, context.session);
    guard.record(context.operator, { action: 'logout', outcome: 'success' });
    return reply.redirect('/ops/login', 303);
  });
}
