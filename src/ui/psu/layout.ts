import { html, type Html } from './html.ts';

export interface PageOptions {
  readonly title: string;
  readonly body: Html;
  /** Scripts from /psu/assets only (strict CSP: no inline script). */
  readonly scripts?: readonly string[];
  /** Anti-forgery token for script-made requests (double-submitted in a header). */
  readonly csrfToken?: string | undefined;
}

/** The bank's page frame: works without JavaScript, styled by one same-origin stylesheet. */
export function page(options: PageOptions): string {
  return html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Portico Bank</title>
<link rel="stylesheet" href="/psu/assets/portico.css">
${options.csrfToken ? html`<meta name="csrf-token" content="${options.csrfToken}">` : ''}
${(options.scripts ?? []).map((src) => html`<script src="/psu/assets/${src}" defer></script>`)}
</head>
<body>
<header class="bank"><span class="logo" aria-hidden="true">◆</span> Portico Bank</header>
<main>
<h1>${options.title}</h1>
${options.body}
</main>
<footer>Portico Bank never asks for your one-time code by phone or email.</footer>
</body>
</html>`.toString();
}

/** The Content-Security-Policy of PSU pages (FAPI pages must not be framed; no inline code). */
export const PSU_PAGE_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self' https:; frame-ancestors 'none'; base-uri 'none'";
