import type { FastifyInstance } from 'fastify';
import { isAppError } from '../../platform/errors/index.ts';
import { OperatorsErrors, PasskeyRefused } from '../../modules/operators/index.ts';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsContext, OpsGuard } from './ops-guard.ts';
import { html, opsPage, sendOpsPage, type Html } from './ops-layout.ts';
import { passkeysTable } from './passkeys-table.ts';

interface RemoveForm {
  csrf?: string;
}

/**
 * Every operator's own passkeys (any role): list them, add one (named; script-driven WebAuthn
 * registration, JSON in and out with the session's token in `x-csrf-token`), remove one (a form).
 * The challenge is the console session's, taken once. Each addition and removal, and each refusal,
 * is recorded in the audit trail.
 */
export async function opsPasskeysRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { operators, guard } = options;

  const render = async (context: OpsContext, notice?: Html) =>
    opsPage({
      title: 'Your passkeys',
      operator: context.operator,
      csrf: context.session.csrf,
      scripts: ['webauthn.js', 'passkeys.js'],
      body: html`${notice ?? ''}
<p>A passkey signs you in to the console with your device's fingerprint, face or PIN, in place of your password and one-time code.</p>
${passkeysTable(await operators.listPasskeys(context.operator.id), context.session.csrf, (p) => `/ops/passkeys/${encodeURIComponent(p.id)}/remove`, 'You have no passkeys yet.')}
<h2>Add a passkey</h2>
<form class="action" hidden>
<label for="passkey-name">Passkey name</label>
<input id="passkey-name" name="name" type="text" required maxlength="64" autocomplete="off" placeholder="Work laptop">
<div class="actions"><button class="primary" type="button" hidden data-passkey-register="/ops/passkeys">Add a passkey</button></div>
</form>
<noscript><p class="hint">Adding a passkey needs JavaScript. You can keep logging in with your password and one-time code.</p></noscript>`,
    });

  app.get('/ops/passkeys', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    return sendOpsPage(reply, await render(context));
  });

  app.post<{ Body: { name?: unknown } }>('/ops/passkeys/options', async (request, reply) => {
    const context = await guard.signedInForScript(request, reply, 'add-passkey');
    if (!context) return reply;
    try {
      return await operators.startPasskeyRegistration(context.operator.id, String(request.body?.name ?? ''), context.session.id);
    } catch (error) {
      if (!isAppError(error) || !error.definition.expose) throw error;
      guard.record(context.operator, { action: 'add-passkey', outcome: 'failure', details: { reason: error.code } });
      return reply.status(error.status).send({ message: error.message });
    }
  });

  app.post('/ops/passkeys', async (request, reply) => {
    const context = await guard.signedInForScript(request, reply, 'add-passkey');
    if (!context) return reply;
    try {
      const passkey = await operators.finishPasskeyRegistration(context.operator.id, request.body as never, context.session.id);
      guard.record(context.operator, { action: 'add-passkey', outcome: 'success', details: { passkey: passkey.name } });
      return reply.status(201).send({ message: 'Passkey added' });
    } catch (error) {
      if (!(error instanceof PasskeyRefused)) throw error;
      guard.record(context.operator, { action: 'add-passkey', outcome: 'failure', details: { reason: error.refusal } });
      return reply.status(400).send({ message: error.message });
    }
  });

  app.post<{ Params: { id: string }; Body: RemoveForm }>('/ops/passkeys/:id/remove', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    if (!guard.mayAct(reply, context, request.body?.csrf, 'viewer', 'remove-passkey')) return reply;
    try {
      const removed = await operators.removePasskey(context.operator.id, request.params.id);
      guard.record(context.operator, { action: 'remove-passkey', outcome: 'success', details: { passkey: removed.name } });
      return reply.redirect('/ops/passkeys', 303);
    } catch (error) {
      if (!isAppError(error) || error.code !== OperatorsErrors.PASSKEY_NOT_FOUND.code) throw error;
      guard.record(context.operator, { action: 'remove-passkey', outcome: 'failure', details: { reason: 'not-found' } });
      return sendOpsPage(reply, await render(context, html`<p class="error" role="alert">${error.message}</p>`), 404);
    }
  });
}
