// HTTPS to a Portico sandbox as a TPP's code makes it: the server trusted by the sandbox CA (never by
// switching checks off), the TPP's transport certificate for mutual TLS, and a small cookie jar for
// the PSU's pages. Shared by the examples; plain Node, no dependencies.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { URL } from 'node:url';

/**
 * The platform the example talks to, from its command line: the base URL (first argument, or
 * PORTICO_URL; default https://localhost:8443) and the sandbox CA (--ca FILE, or PORTICO_CA;
 * default ./data/tls/sandbox-ca.pem).
 */
export function sandboxConnection(argv = process.argv.slice(2)) {
  const args = [...argv];
  const caFlag = args.indexOf('--ca');
  const caFile = caFlag >= 0 ? args.splice(caFlag, 2)[1] : (process.env.PORTICO_CA ?? defaultCaFile());
  const base = (args[0] ?? process.env.PORTICO_URL ?? 'https://localhost:8443').replace(/\/+$/, '');
  const ca = fs.readFileSync(caFile, 'utf8');

  /** One HTTPS request; `tls` is the TPP's transport certificate and key for mutual TLS. */
  function request(url, { method = 'GET', headers = {}, body, tls, cookies } = {}) {
    const target = new URL(url, base);
    const cookieHeader = cookies?.header(target);
    return new Promise((resolve, reject) => {
      const req = https.request(
        target,
        {
          method,
          headers: { ...headers, ...(cookieHeader ? { cookie: cookieHeader } : {}) },
          ca,
          ...(tls ? { cert: tls.certificatePem, key: tls.privateKeyPem } : {}),
          agent: false,
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            cookies?.store(target, res.headers['set-cookie'] ?? []);
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
  return { base, request };
}

function defaultCaFile() {
  const here = path.resolve('data/tls/sandbox-ca.pem');
  return fs.existsSync(here) ? here : path.resolve(import.meta.dirname, '..', '..', 'data/tls/sandbox-ca.pem');
}

/** Fails with the server's answer unless the status is the expected one. */
export function expectStatus(response, status, what) {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status}\n${response.text}`);
  return response;
}

let stepNumber = 0;
/** Prints the next numbered step. */
export function step(title) {
  stepNumber += 1;
  console.log(`\n${stepNumber}. ${title}`);
}
/** Prints what a step got. */
export function show(label, value) {
  console.log(`   ${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

/** RFC 6265 in brief: name=value per path prefix, dropped when expired. Enough for one site. */
export class CookieJar {
  #cookies = new Map();
  store(url, setCookies) {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attribute = (key) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const cookiePath = attribute('path') || url.pathname.replace(/\/[^/]*$/, '') || '/';
      const maxAge = attribute('max-age');
      const expires = attribute('expires');
      const expired = (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) <= Date.now());
      const key = `${cookiePath}|${name}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path: cookiePath });
    }
  }
  header(url) {
    const matching = [...this.#cookies.values()].filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

