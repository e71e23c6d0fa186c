import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { OpsConsoleOptions, OpsSingleSignOn } from './ops-console-options.ts';
import type { OpsGuard } from './ops-guard.ts';
import { html, opsPage, sendOpsPage } from './ops-layout.ts';
import { newOpsSession, saveOpsSession } from './ops-session.ts';

const FLOW_COOKIE = 'portico_ops_sso';
const FLOW_SECONDS = 600;
const flowKey = (id: string) => `ops-sso:${id}`;

interface Flow {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/**
 * Login through the bank's OpenID provider (OpenID Connect Core §3.1, authorisation code flow,
 * PKCE RFC 7636, `nonce` §3.1.2.1). The provider's redirect back is a cross-site navigation, which
 * the console's SameSite=Strict session cookie does not come with: the flow is tied to the browser
 * by a cookie of its own (SameSite=Lax, this path only, ten minutes, used once) and the `state`.
 * The username claim must name an enabled operator: the provider authenticates, the console's
 * operators table decides the role.
 */
export async function opsSingleSignOnRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard; readonly singleSignOn: OpsSingleSignOn }): Promise<void> {
  const { sessions, operators, guard, singleSignOn } = options;
  const redirectUri = `${options.publicUrl}/ops/login/oidc/callback`;
  const failed = (reply: Parameters<typeof sendOpsPage>[0], message: string) =>
    sendOpsPage(reply, opsPage({ title: 'Single sign-on failed', body: html`<p class="error" role="alert">${message}</p><p><a href="/ops/login">Back to the login</a></p>` }), 401);

  app.get('/ops/login/oidc', async (_request, reply) => {
    const id = randomBytes(32).toString('base64url');
    const flow: Flow = { state: randomBytes(32).toString('base64url'), nonce: randomBytes(32).toString('base64url'), codeVerifier: randomBytes(32).toString('base64url') };
    await sessions.set(flowKey(id), JSON.stringify(flow), FLOW_SECONDS);
    reply.setCookie(FLOW_COOKIE, id, { path: '/ops/login/oidc', httpOnly: true, secure: true, sameSite: 'lax', maxAge: FLOW_SECONDS });
    const codeChallenge = createHash('sha256').update(flow.codeVerifier).digest('base64url');
    return reply.redirect(await singleSignOn.authorisationUrl({ state: flow.state, nonce: flow.nonce, codeChallenge, redirectUri }), 303);
  });

  app.get<{ Querystring: { code?: string; state?: string; error?: string } }>('/ops/login/oidc/callback', async (request, reply) => {
    const id = request.cookies?.[FLOW_COOKIE];
    const stored = id && /^[\w-]{43}$/.test(id) ? await sessions.get(flowKey(id)) : null;
    reply.clearCookie(FLOW_COOKIE, { path: '/ops/login/oidc' });
    if (id) await sessions.del(flowKey(id));
    const flow = stored ? (JSON.parse(stored) as Flow) : undefined;
    if (!flow || request.query.state !== flow.state) {
      guard.record('unknown', { action: 'login single-sign-on', outcome: 'failure', details: { reason: 'state' } });
      return failed(reply, 'This sign-on did not start here, or it expired. Start again.');
    }
    if (request.query.error || !request.query.code) {
      guard.record('unknown', { action: 'login single-sign-on', outcome: 'failure', details: { reason: 'provider', error: String(request.query.error ?? 'no code').slice(0, 100) } });
      return failed(reply, 'The sign-on provider did not log you in.');
    }
    let username: string;
    try {
      username = await singleSignOn.username({ code: request.query.code, codeVerifier: flow.codeVerifier, nonce: flow.nonce, redirectUri });
    } catch (error) {
      request.log.warn({ err: error }, 'operations console single sign-on refused');
      guard.record('unknown', { action: 'login single-sign-on', outcome: 'failure', details: { reason: 'token' } });
      return failed(reply, 'The sign-on could not be verified.');
    }
    const operator = await operators.findEnabledByUsername(username);
    if (!operator) {
      guard.record(username, { action: 'login single-sign-on', outcome: 'failure', details: { reason: 'not-an-operator' } });
      return failed(reply, 'You are not an operator of this console. Ask an admin to add your username.');
    }
    await saveOpsSession(sessions, reply, newOpsSession({ operatorId: operator.id }));
    guard.record(operator, { action: 'login', outcome: 'success', details: { factors: ['single-sign-on'] } });
    return reply.redirect('/ops', 303);
  });
}
