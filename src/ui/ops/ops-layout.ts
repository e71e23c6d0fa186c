import type { FastifyReply } from 'fastify';
import type { Operator } from '../../modules/operators/index.ts';
import { html, type Html } from '../psu/html.ts';

export { html, type Html };

// Console pages: no inline code, nothing framed, forms post only to the console itself.
export const OPS_PAGE_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface OpsPageOptions {
  readonly title: string;
  readonly body: Html;
  /** Who is logged in; absent on the login pages. */
  readonly operator?: Operator | undefined;
  readonly csrf?: string | undefined;
  /** Scripts under /ops/assets; with `csrf`, the page's token is a meta tag they send as `x-csrf-token`. */
  readonly scripts?: readonly string[];
  /** Reloads the page every so many seconds (work under way on a worker, such as a verification). */
  readonly refreshSeconds?: number | undefined;
}

const NAV = [
  ['/ops/tpps', 'TPPs'],
  ['/ops/search', 'Consents and payments'],
  ['/ops/alerts', 'Alerts'],
  ['/ops/performance', 'Performance'],
  ['/ops/audit', 'Audit trail'],
  ['/ops/operators', 'Operators'],
  ['/ops/passkeys', 'Your passkeys'],
] as const;

/** The console's frame: a navigation bar, who is logged in and a logout form. */
export function opsPage(options: OpsPageOptions): string {
  const { operator } = options;
  return html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Portico operations</title>
${options.refreshSeconds ? html`<meta http-equiv="refresh" content="${String(options.refreshSeconds)}">` : ''}
<link rel="stylesheet" href="/ops/assets/ops.css">
${options.csrf && options.scripts?.length ? html`<meta name="csrf-token" content="${options.csrf}">` : ''}
${(options.scripts ?? []).map((src) => html`<script src="/ops/assets/${src}" defer></script>`)}
</head>
<body>
<header class="ops"><strong>Portico operations</strong>
${operator
  ? html`<nav aria-label="Console">${NAV.map(([href, label]) => html`<a href="${href}">${label}</a>`)}</nav>
<form method="post" action="/ops/logout" class="logout"><input type="hidden" name="csrf" value="${options.csrf ?? ''}"><span>${operator.username} (${operator.role})</span> <button type="submit">Log out</button></form>`
  : ''}
</header>
<main>
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>`.toString();
}

/** A hidden anti-forgery field for every console form. */
export const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;

/** Sends a console page with its strict CSP and no caching. */
export function sendOpsPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.status(status).header('content-security-policy', OPS_PAGE_CSP).header('cache-control', 'no-store').header('x-frame-options', 'DENY').type('text/html; charset=utf-8').send(body);
}

export const dateTime = (at: Date | null | undefined) => (at ? at.toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '');
