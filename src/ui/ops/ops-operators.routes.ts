import type { FastifyInstance } from 'fastify';
import { isAppError } from '../../platform/errors/index.ts';
import { isOperatorRole, OPERATOR_ROLES, OperatorsErrors, roleAllows } from '../../modules/operators/index.ts';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsContext, OpsGuard } from './ops-guard.ts';
import { csrfField, dateTime, html, opsPage, sendOpsPage, type Html } from './ops-layout.ts';
import { passkeysTable } from './passkeys-table.ts';

interface OperatorForm {
  csrf?: string;
  username?: string;
  password?: string;
  role?: string;
}

/**
 * Admins manage operators: add one (its TOTP secret shown once), change a role, disable or enable a
 * login, see and remove an operator's passkeys (a lost device).
 */
export async function opsOperatorsRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { operators, guard } = options;

  const render = async (context: OpsContext, notice?: Html) => {
    const [list, passkeys] = await Promise.all([operators.list(), operators.passkeyCounts()]);
    const csrf = context.session.csrf;
    return opsPage({
      title: 'Operators',
      operator: context.operator,
      csrf,
      body: html`${notice ?? ''}
<table><thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Since</th><th scope="col">Login</th><th scope="col">Passkeys</th><th scope="col">Change</th></tr></thead>
<tbody>${list.map(
        (o) => html`<tr><td>${o.username}</td><td>${o.role}</td><td>${dateTime(o.createdAt)}</td><td>${o.disabledAt ? `disabled ${dateTime(o.disabledAt)}` : 'enabled'}</td>
<td><a href="/ops/operators/${o.id}/passkeys">${passkeys.get(o.id) ?? 0}<span class="hint"> passkeys of ${o.username}</span></a></td>
<td><form method="post" action="/ops/operators/${o.id}/role" class="inline">${csrfField(csrf)}<label for="role-${o.id}">Role of ${o.username}</label><select id="role-${o.id}" name="role">${OPERATOR_ROLES.map((r) => html`<option value="${r}" ${r === o.role ? html`selected` : ''}>${r}</option>`)}</select><button type="submit">Set role</button></form>
<form method="post" action="/ops/operators/${o.id}/${o.disabledAt ? 'enable' : 'disable'}" class="inline">${csrfField(csrf)}<button type="submit">${o.disabledAt ? 'Enable' : 'Disable'} ${o.username}</button></form></td></tr>`,
      )}</tbody></table>
<h2>Add an operator</h2>
<form method="post" action="/ops/operators">${csrfField(csrf)}
<label for="new-username">New username</label><input id="new-username" name="username" type="text" required pattern="[a-z0-9][a-z0-9.\\-]{2,63}">
<label for="new-password">New password</label><input id="new-password" name="password" type="password" minlength="12" required autocomplete="new-password">
<label for="new-role">New role</label><select id="new-role" name="role">${OPERATOR_ROLES.map((r) => html`<option value="${r}">${r}</option>`)}</select>
<div class="actions"><button class="primary" type="submit">Add operator</button></div></form>`,
    });
  };

  const adminOnly = (reply: Parameters<OpsGuard['forbidden']>[0], context: OpsContext) =>
    roleAllows(context.operator.role, 'admin') ? true : (guard.forbidden(reply, context, `Your role (${context.operator.role}) cannot manage operators: it needs the admin role.`), false);

  app.get('/ops/operators', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context || !adminOnly(reply, context)) return reply;
    return sendOpsPage(reply, await render(context));
  });

  app.post<{ Body: OperatorForm }>('/ops/operators', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    if (!guard.mayAct(reply, context, request.body?.csrf, 'admin', 'add-operator')) return reply;
    const role = isOperatorRole(request.body?.role) ? request.body.role : 'viewer';
    try {
      const created = await operators.create({ username: String(request.body?.username ?? ''), password: String(request.body?.password ?? ''), role });
      guard.record(context.operator, { action: 'add-operator', outcome: 'success', details: { subject: created.operator.username, subjectRole: role } });
      // The secret is shown this once, for the new operator's authenticator app; it is not recorded.
      return sendOpsPage(reply, await render(context, html`<p class="ok" role="status">Added ${created.operator.username} (${role}). Their TOTP secret, shown once: <code data-testid="totp-secret">${created.totpSecret}</code></p>`));
    } catch (error) {
      if (!isAppError(error) || !error.definition.expose) throw error;
      guard.record(context.operator, { action: 'add-operator', outcome: 'failure', details: { subject: String(request.body?.username ?? ''), reason: error.code } });
      return sendOpsPage(reply, await render(context, html`<p class="error" role="alert">${error.message}</p>`), 400);
    }
  });

  for (const change of ['role', 'disable', 'enable'] as const) {
    app.post<{ Params: { id: string }; Body: OperatorForm }>(`/ops/operators/:id/${change}`, async (request, reply) => {
      const context = await guard.signedIn(request, reply);
      if (!context) return reply;
      const action = change === 'role' ? 'set-operator-role' : `${change}-operator`;
      if (!guard.mayAct(reply, context, request.body?.csrf, 'admin', action)) return reply;
      const subject = await operators.find(request.params.id);
      if (!subject) return reply.redirect('/ops/operators', 303);
      // An admin does not demote or disable themself: the console would be left without its admin.
      if (subject.id === context.operator.id) return guard.forbidden(reply, context, 'You cannot change your own login; ask another admin.') ?? reply;
      const role = change === 'role' && isOperatorRole(request.body?.role) ? request.body.role : undefined;
      if (change === 'role' && !role) return reply.redirect('/ops/operators', 303);
      const after = role ? await operators.setRole(subject.id, role) : await operators.setDisabled(subject.id, change === 'disable');
      guard.record(context.operator, { action, outcome: 'success', details: { subject: subject.username, from: { role: subject.role, disabled: subject.disabledAt !== null }, to: { role: after.role, disabled: after.disabledAt !== null } } });
      return reply.redirect('/ops/operators', 303);
    });
  }

  // An operator's passkeys, for an admin: seen, and removed when a device is lost or a person leaves.
  app.get<{ Params: { id: string } }>('/ops/operators/:id/passkeys', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context || !adminOnly(reply, context)) return reply;
    const subject = await operators.find(request.params.id);
    if (!subject) return reply.redirect('/ops/operators', 303);
    const csrf = context.session.csrf;
    const passkeys = await operators.listPasskeys(subject.id);
    return sendOpsPage(
      reply,
      opsPage({
        title: `Passkeys of ${subject.username}`,
        operator: context.operator,
        csrf,
        body: html`${passkeysTable(passkeys, csrf, (p) => `/ops/operators/${subject.id}/passkeys/${encodeURIComponent(p.id)}/remove`, `${subject.username} has no passkeys.`)}
<p><a href="/ops/operators">Back to the operators</a></p>`,
      }),
    );
  });

  app.post<{ Params: { id: string; passkeyId: string }; Body: OperatorForm }>('/ops/operators/:id/passkeys/:passkeyId/remove', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    if (!guard.mayAct(reply, context, request.body?.csrf, 'admin', 'remove-operator-passkey')) return reply;
    const subject = await operators.find(request.params.id);
    if (!subject) return reply.redirect('/ops/operators', 303);
    try {
      const removed = await operators.removePasskey(subject.id, request.params.passkeyId);
      guard.record(context.operator, { action: 'remove-operator-passkey', outcome: 'success', details: { subject: subject.username, passkey: removed.name } });
    } catch (error) {
      if (!isAppError(error) || error.code !== OperatorsErrors.PASSKEY_NOT_FOUND.code) throw error;
      guard.record(context.operator, { action: 'remove-operator-passkey', outcome: 'failure', details: { subject: subject.username, reason: 'not-found' } });
    }
    return reply.redirect(`/ops/operators/${subject.id}/passkeys`, 303);
  });
}
