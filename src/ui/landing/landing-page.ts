import { html, type Html } from '../psu/html.ts';
import { DOCS_FILES, OPENAPI_FILES, publishedFiles, type PublishedFile } from './published-files.ts';

export interface LandingPageModel {
  /** The public base URL (the issuer). */
  readonly publicUrl: string;
  /** Sandbox mode: onboarding, sandbox PSUs and the directory are listed; otherwise none of them. */
  readonly sandbox: boolean;
  /** OB DCR is served (there is a directory to trust TPPs through): its endpoint is listed. */
  readonly registration: boolean;
}

/** The literal onboarding request body of DESIGN.md §3, as a newcomer can paste it. */
const ONBOARDING_BODY = '{"organisationName": "Acme Budgeting Ltd", "roles": ["AISP", "PISP"], "redirectUris": ["https://tpp.example/callback"]}';

const link = (path: string, base: string) => html`<a href="${path}">${base}${path}</a>`;
const fileList = (files: readonly PublishedFile[]) => html`<ul>${files.map((file) => html`<li><a href="${file.urlPath}">${file.title}</a> <code>${file.repoPath}</code></li>`)}</ul>`;

/**
 * `/`: where everything is, for a TPP developer meeting the platform for the first time — the
 * endpoints, the official OpenAPI files, how to onboard in the sandbox, the docs. Only public
 * facts: no PSU or TPP data is shown.
 */
export function landingPage(model: LandingPageModel): string {
  const base = model.publicUrl.replace(/\/+$/, '');
  const api = `${base}/open-banking/v4.0`;
  return frame(
    model.sandbox ? 'Open Banking developer sandbox' : 'Open Banking APIs',
    html`<p class="who">UK Open Banking v4.0 APIs (accounts, payments, variable recurring payments, confirmation of funds) behind a FAPI authorisation server with mutual TLS.${model.sandbox ? ' This is the sandbox: test TPPs onboard themselves, and test customers are listed.' : ''}</p>
${model.sandbox ? html`<section aria-labelledby="start">
<h2 id="start">Start in five minutes</h2>
<p>Run the quickstart: onboarding, registration, an account read and a payment, printing each step.</p>
<pre><code>node examples/quickstart.mjs ${base}</code></pre>
<p>See <a href="/examples/README.md">examples/README.md</a>. The server certificate is issued by the sandbox CA in <code>data/tls/sandbox-ca.pem</code>: trust it (<code>curl --cacert data/tls/sandbox-ca.pem …</code>).</p>
</section>` : ''}
<section aria-labelledby="endpoints">
<h2 id="endpoints">Endpoints</h2>
<dl class="details">
<dt>OIDC discovery</dt><dd>${link('/.well-known/openid-configuration', base)}</dd>
<dt>Issuer</dt><dd><code>${base}</code></dd>
<dt>Accounts (AIS)</dt><dd><code>${api}/aisp</code></dd>
<dt>Payments (PIS, VRP)</dt><dd><code>${api}/pisp</code></dd>
<dt>Funds (CBPII)</dt><dd><code>${api}/cbpii</code></dd>
${model.registration ? html`<dt>Registration (OB DCR v3.4)</dt><dd><code>POST ${base}/register</code> over mutual TLS</dd>` : ''}
<dt>Customer pages</dt><dd>${link('/psu/login', base)}</dd>
<dt>Operations console (bank staff)</dt><dd>${link('/ops/login', base)}</dd>
<dt>Health</dt><dd>${link('/health/live', base)}, ${link('/health/ready', base)}</dd>
<dt>Metrics</dt><dd>${link('/metrics', base)}</dd>
</dl>
</section>
<section aria-labelledby="openapi">
<h2 id="openapi">OpenAPI files</h2>
<p>The official UK Open Banking v4.0 files of the APIs served here, unchanged:</p>
${fileList(OPENAPI_FILES)}
</section>
${model.sandbox ? sandboxSection(base) : ''}
<section aria-labelledby="docs">
<h2 id="docs">Documentation</h2>
${fileList(publishedFiles(DOCS_FILES, model.sandbox))}
</section>`,
  );
}

function sandboxSection(base: string): Html {
  return html`<section aria-labelledby="sandbox">
<h2 id="sandbox">Sandbox onboarding</h2>
<p>One call gives a test TPP its organisation, software statement (SSA), a transport certificate for mutual TLS and a signing certificate, plus the values its next calls need:</p>
<pre><code>curl --cacert data/tls/sandbox-ca.pem -H 'content-type: application/json' \\
  -d '${ONBOARDING_BODY}' \\
  ${base}/sandbox/v1/tpps</code></pre>
<p>The <code>201</code> response:</p>
<pre><code>${`{
  "organisationId": "2G4P7KXQ9ZB1HC3RW8",
  "softwareId": "4kTq8ZrV2mNpL7sXbY3cDw",
  "softwareStatement": "eyJhbGciOiJQUzI1NiIs…",
  "transport": { "certificatePem": "-----BEGIN CERTIFICATE-----…", "privateKeyPem": "-----BEGIN PRIVATE KEY-----…" },
  "signing": { "certificatePem": "-----BEGIN CERTIFICATE-----…", "privateKeyPem": "-----BEGIN PRIVATE KEY-----…", "kid": "Ew1_0Frjj2NM…" },
  "registration": {
    "registrationEndpoint": "${base}/register",
    "tokenEndpoint": "${base}/token",
    "aud": "${base}",
    "tls_client_auth_subject_dn": "CN=4kTq8ZrV2mNpL7sXbY3cDw,2.5.4.97=PSDGB-FCA-801275,O=Acme Budgeting Ltd,C=GB"
  },
  "messageSigning": { "iss": "2G4P7KXQ9ZB1HC3RW8/4kTq8ZrV2mNpL7sXbY3cDw", "tan": "${new URL(base).host}" }
}`}</code></pre>
<dl class="details">
<dt>Sandbox customers</dt><dd>${link('/sandbox/v1/psus', base)} (username, password, TOTP secret)</dd>
<dt>Sandbox operators</dt><dd>${link('/sandbox/v1/operators', base)} (console logins: username, password, TOTP secret, role)</dd>
<dt>Directory JWKS</dt><dd>${link('/directory/v1/jwks', base)}</dd>
<dt>Certificate revocation list</dt><dd>${link('/directory/v1/crl', base)}</dd>
<dt>OCSP responder</dt><dd>${base}/directory/v1/ocsp (RFC 6960, named in every certificate the sandbox QTSP issues)</dd>
</dl>
</section>`;
}

/** The bank's page frame of the PSU pages (same stylesheet), wider for URLs and code. */
function frame(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Portico Bank</title>
<link rel="stylesheet" href="/psu/assets/portico.css">
<link rel="stylesheet" href="/assets/landing.css">
</head>
<body>
<header class="bank"><span class="logo" aria-hidden="true">◆</span> Portico Bank</header>
<main class="landing">
<h1>${title}</h1>
${body}
</main>
<footer>Portico · UK Open Banking v4.0</footer>
</body>
</html>`.toString();
}
