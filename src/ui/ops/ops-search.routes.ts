import type { FastifyInstance } from 'fastify';
import type { Consent } from '../../modules/consents/index.ts';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsGuard } from './ops-guard.ts';
import { dateTime, html, opsPage, sendOpsPage } from './ops-layout.ts';
import { moneyText } from '../psu/money-text.ts';

interface SearchQuery {
  consent?: string;
  psu?: string;
  tpp?: string;
}

const MAX = 100;

/**
 * Consents and payments by consent id, PSU or TPP (client id). A TPP's consents are those the
 * audit trail recorded state changes of for that client (the consents module lists by PSU only).
 */
export async function opsSearchRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { consents, audit, guard } = options;

  const consentsOfClient = async (clientId: string): Promise<Consent[]> => {
    const page = await audit.search({ clientId, kind: 'consent' }, 500);
    const ids = [...new Set(page.records.map((record) => record.consentId).filter((id): id is string => id !== null))].slice(0, MAX);
    return (await Promise.all(ids.map((id) => consents.find(id)))).filter((consent): consent is Consent => consent !== undefined);
  };

  app.get<{ Querystring: SearchQuery }>('/ops/search', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    const consentId = request.query.consent?.trim();
    const psuId = request.query.psu?.trim();
    const clientId = request.query.tpp?.trim();
    let found: Consent[] | undefined;
    if (consentId) found = [await consents.find(consentId)].filter((c): c is Consent => c !== undefined);
    else if (psuId) found = (await consents.ofPsu(psuId)).slice(0, MAX);
    else if (clientId) found = await consentsOfClient(clientId);
    const rows = found && (await Promise.all(found.map(async (consent) => ({ consent, payment: consent.payment ? await consents.paymentOf(consent) : undefined }))));
    return sendOpsPage(
      reply,
      opsPage({
        title: 'Consents and payments',
        operator: context.operator,
        csrf: context.session.csrf,
        body: html`<form method="get" action="/ops/search" role="search" class="search">
<label for="consent">Consent id</label><input id="consent" name="consent" type="search" value="${consentId ?? ''}">
<label for="psu">PSU id</label><input id="psu" name="psu" type="search" value="${psuId ?? ''}">
<label for="tpp">TPP client id</label><input id="tpp" name="tpp" type="search" value="${clientId ?? ''}">
<button type="submit">Search</button></form>
${rows === undefined ? '' : rows.length === 0 ? html`<p>No consent found.</p>` : html`<table><caption>${rows.length} consent(s)</caption>
<thead><tr><th scope="col">Consent</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">TPP client</th><th scope="col">PSU</th><th scope="col">Created</th><th scope="col">Payment</th><th scope="col">Audit</th></tr></thead>
<tbody>${rows.map(
          ({ consent, payment }) => html`<tr><td><code>${consent.id}</code></td><td>${consent.kind}</td><td>${consent.status}</td><td><code>${consent.clientId}</code></td><td>${consent.psuId ?? ''}</td><td>${dateTime(consent.createdAt)}</td>
<td>${consent.payment ? html`${moneyText(consent.payment.amountMinor, consent.payment.currency)} to ${consent.payment.creditorName}${payment ? html`<br>order <code>${payment.id}</code>: ${payment.status} (${dateTime(payment.statusUpdatedAt)})` : html`<br>no order yet`}` : ''}</td>
<td><a href="/ops/audit?consent=${encodeURIComponent(consent.id)}">Trail</a></td></tr>`,
        )}</tbody></table>`}`,
      }),
    );
  });
}
