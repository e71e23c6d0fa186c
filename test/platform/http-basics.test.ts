import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import tls from 'node:tls';
import { buildHttpServer, createHttpMetrics, registerHealthRoutes } from '../../src/platform/http/index.ts';
import { AppError, defineErrors } from '../../src/platform/errors/index.ts';
import { loadServerTls, type ServerTls } from '../../src/platform/tls/index.ts';
import { renderObErrorV4 } from '../../src/standards/uk-obie/v4.0/index.ts';
import { httpsRequest } from '../support/https-client.ts';
import { assertMatchesSchema, obSchema } from '../support/openapi.ts';
import { issueClientCertificate } from '../support/test-certificates.ts';

const TestErrors = defineErrors('TEST', {
  CONSENT_EXPIRED: { status: 403, reason: 'consent.invalid-status', message: 'Consent has expired', expose: true },
  SECRET_FAILURE: { status: 500, reason: 'unexpected', message: 'database password is hunter2', expose: false },
});

const errorResponse = obSchema('account-info', 'OBErrorResponse1');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function startServer(trustProxyClientCertHeader?: string): Promise<{ app: FastifyInstance; base: string; tls: ServerTls; logs: string[] }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-http-'));
  const tls = await loadServerTls({ dataDir, publicUrl: 'https://localhost:8443' });
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
  const app = await buildHttpServer({
    logger,
    bodyLimitBytes: 2048,
    tls,
    trustProxyClientCertHeader,
    metrics: createHttpMetrics(),
    resolveErrorRenderer: () => renderObErrorV4,
  });
  registerHealthRoutes(app, { database: async () => undefined }, 500);
  app.post('/echo', async (request) => ({ received: request.body }));
  app.get('/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.get('/metered/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.get('/expired', async () => {
    throw new AppError(TestErrors.CONSENT_EXPIRED);
  });
  app.get('/crash', async () => {
    throw new AppError(TestErrors.SECRET_FAILURE);
  });
  app.get('/bug', async () => {
    throw new TypeError('cannot read properties of undefined (reading "secret")');
  });
  app.get('/whoami', async (request) => {
    const certificate = request.clientCertificate();
    return certificate ? { subject: certificate.x509.subject, source: certificate.source, verified: certificate.chainVerifiedAtHandshake } : { subject: null };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { app, base: `https://localhost:${port}`, tls, logs };
}

describe('HTTP basics', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const get = (p: string, headers: Record<string, string> = {}) => httpsRequest(`${server.base}${p}`, { ca: server.tls.clientCaPems[0]!, headers });
  const post = (p: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    httpsRequest(`${server.base}${p}`, { method: 'POST', ca: server.tls.clientCaPems[0]!, headers, body });

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.app.close();
  });

  it('answers an unknown route with 404 and OBErrorResponse1', async () => {
    const response = await get('/open-banking/v4.0/aisp/nothing-here');
    assert.equal(response.status, 404);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const body = response.json<{ Id: string; Code: string; Errors: Array<{ ErrorCode: string }> }>();
    assertMatchesSchema(body, errorResponse);
    assert.equal(body.Code, '404 NotFound');
    assert.deepEqual(body.Errors.map((e) => e.ErrorCode), ['U011']);
    assert.equal(body.Id, response.headers['x-fapi-interaction-id']);
  });

  it('answers malformed JSON with 400 U010 and loses nothing of the server', async () => {
    const response = await post('/echo', '{"Data": {"Initiation": ');
    assert.equal(response.status, 400);
    const body = response.json<{ Errors: Array<{ ErrorCode: string; Message: string }> }>();
    assertMatchesSchema(body, errorResponse);
    assert.deepEqual(body.Errors.map((e) => e.ErrorCode), ['U010']);
    assert.equal(body.Errors[0]!.Message, 'Request body is not valid JSON');
    const next = await post('/echo', '{"ok":true}');
    assert.equal(next.status, 200);
    assert.deepEqual(next.json(), { received: { ok: true } });
  });

  it('answers an oversize body with 413 and OBErrorResponse1', async () => {
    const response = await post('/echo', JSON.stringify({ filler: 'x'.repeat(4096) }));
    assert.equal(response.status, 413);
    const body = response.json<{ Errors: Array<{ ErrorCode: string }> }>();
    assertMatchesSchema(body, errorResponse);
    assert.deepEqual(body.Errors.map((e) => e.ErrorCode), ['U010']);
  });

  it('answers an unsupported content type with 415 U006', async () => {
    const response = await post('/echo', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(response.status, 415);
    const body = response.json<{ Errors: Array<{ ErrorCode: string }> }>();
    assertMatchesSchema(body, errorResponse);
    assert.deepEqual(body.Errors.map((e) => e.ErrorCode), ['U006']);
  });

  it('renders a module error from its catalogue', async () => {
    const response = await get('/expired');
    assert.equal(response.status, 403);
    const body = response.json<{ Message: string; Errors: Array<{ ErrorCode: string; Message: string }> }>();
    assertMatchesSchema(body, errorResponse);
    assert.deepEqual(body.Errors, [{ ErrorCode: 'U009', Message: 'Consent has expired' }]);
  });

  it('says nothing but the interaction id and the status on a 500 (Code and Message, OB shape), and logs the detail', async () => {
    for (const route of ['/crash', '/bug']) {
      const response = await get(route);
      assert.equal(response.status, 500);
      const body = response.json<Record<string, unknown>>();
      assertMatchesSchema(body, errorResponse);
      assert.deepEqual(body, { Id: response.headers['x-fapi-interaction-id'], Code: '500 InternalServerError', Message: 'Internal Server Error', Errors: [{ ErrorCode: 'U000' }] });
      assert.equal(response.text.includes('hunter2') || response.text.includes('secret'), false);
    }
    assert.ok(server.logs.some((line) => line.includes('reading \\"secret\\"')), 'the cause is logged');
  });

  it('echoes x-fapi-interaction-id, or generates a UUID', async () => {
    const sent = '93bac548-d2de-4546-b106-880a5018460d';
    const echoed = await get('/health/live', { 'x-fapi-interaction-id': sent });
    assert.equal(echoed.headers['x-fapi-interaction-id'], sent);
    const generated = await get('/health/live');
    assert.match(String(generated.headers['x-fapi-interaction-id']), UUID);
    const injected = await get('/health/live', { 'x-fapi-interaction-id': 'a b\tc' });
    assert.match(String(injected.headers['x-fapi-interaction-id']), UUID);
  });

  it('treats a trailing slash as the same path', async () => {
    const response = await get('/items/abc/');
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { id: 'abc' });
  });

  it('sets security headers', async () => {
    const response = await get('/health/live');
    assert.equal(response.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.match(String(response.headers['content-security-policy']), /default-src 'none'/);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  it('serves liveness and readiness', async () => {
    assert.deepEqual((await get('/health/live')).json(), { status: 'ok' });
    const ready = await get('/health/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { database: { status: 'up' } } });
  });

  it('exports request count and latency per route template and status', async () => {
    await get('/metered/one');
    await get('/metered/two');
    const metrics = await get('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.headers['content-type']), /^text\/plain/);
    assert.match(metrics.text, /http_requests_total\{method="GET",route="\/metered\/:id",status_code="200"\} 2/);
    assert.match(metrics.text, /http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/metered\/:id",status_code="200"\}/);
    assert.match(metrics.text, /http_requests_total\{method="GET",route="unmatched",status_code="404"\}/);
    assert.equal(metrics.text.includes('/metered/one'), false, 'raw URLs are not labels');
  });

  it('logs requests without credentials', async () => {
    await get('/items/logged', { authorization: 'Bearer top-secret-token', cookie: 'session=top-secret-cookie' });
    const text = server.logs.join('');
    assert.ok(text.includes('request completed'));
    assert.equal(text.includes('top-secret'), false);
  });

  it('requests but does not require a client certificate', async () => {
    const anonymous = await get('/whoami');
    assert.deepEqual(anonymous.json(), { subject: null });
    const ca = server.tls.sandboxCa!;
    const client = await issueClientCertificate(ca, 'tpp-one');
    const withCert = await httpsRequest(`${server.base}/whoami`, { ca: server.tls.clientCaPems[0]!, cert: client.certPem, key: client.keyPem });
    assert.deepEqual(withCert.json(), { subject: 'CN=tpp-one\nO=Test TPP\nC=GB', source: 'tls', verified: true });
    const stranger = await issueClientCertificate(undefined, 'self-signed');
    const unverified = await httpsRequest(`${server.base}/whoami`, { ca: server.tls.clientCaPems[0]!, cert: stranger.certPem, key: stranger.keyPem });
    assert.deepEqual(unverified.json(), { subject: 'CN=self-signed\nO=Self Signed\nC=GB', source: 'tls', verified: false });
  });

  it('keeps one certificate per connection: renegotiating to present another is refused (attack: certificate switch by TLS renegotiation)', async () => {
    const ca = server.tls.sandboxCa!;
    const first = await issueClientCertificate(ca, 'tpp-first');
    const { port } = server.app.server.address() as { port: number };
    // TLS 1.2: the only version with renegotiation (TLS 1.3 has none).
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: server.tls.clientCaPems[0]!, cert: first.certPem, key: first.keyPem, maxVersion: 'TLSv1.2' });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.write('GET /whoami HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise<void>((resolve) => {
      const check = () => (Buffer.concat(received).toString().includes('tpp-first') ? resolve() : setTimeout(check, 10));
      check();
    });
    assert.match(Buffer.concat(received).toString(), /^HTTP\/1\.1 200/);
    socket.on('error', () => undefined);
    // The server refuses the renegotiation and drops the connection: no second certificate is ever read on it.
    const outcome = await new Promise<string>((resolve) => {
      socket.once('close', () => resolve('closed'));
      const started = socket.renegotiate({ rejectUnauthorized: false }, (error) => resolve(error ? 'refused' : 'renegotiated'));
      if (!started) resolve('not started');
    });
    assert.notEqual(outcome, 'renegotiated');
    await new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
    assert.equal(socket.destroyed, true);
  });

  it('ignores a client-certificate header when no proxy is trusted (header injection)', async () => {
    const forged = await issueClientCertificate(undefined, 'forged');
    const response = await get('/whoami', { 'x-client-certificate': encodeURIComponent(forged.certPem), 'x-ssl-client-cert': encodeURIComponent(forged.certPem) });
    assert.deepEqual(response.json(), { subject: null });
  });
});

describe('HTTP basics behind a TLS-terminating proxy', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    server = await startServer('x-ssl-client-cert');
  });
  after(async () => {
    await server.app.close();
  });

  it('reads the client certificate from the trusted header only', async () => {
    const client = await issueClientCertificate(server.tls.sandboxCa, 'behind-proxy');
    const viaHeader = await httpsRequest(`${server.base}/whoami`, {
      ca: server.tls.clientCaPems[0]!,
      headers: { 'x-ssl-client-cert': encodeURIComponent(client.certPem) },
    });
    assert.deepEqual(viaHeader.json(), { subject: 'CN=behind-proxy\nO=Test TPP\nC=GB', source: 'proxy-header', verified: false });
    // The proxy's own TLS certificate on the connection is not the TPP's.
    const direct = await httpsRequest(`${server.base}/whoami`, { ca: server.tls.clientCaPems[0]!, cert: client.certPem, key: client.keyPem });
    assert.deepEqual(direct.json(), { subject: null });
    const garbage = await httpsRequest(`${server.base}/whoami`, { ca: server.tls.clientCaPems[0]!, headers: { 'x-ssl-client-cert': '%E0%A4%A' } });
    assert.equal(garbage.status, 200);
    assert.deepEqual(garbage.json(), { subject: null });
  });
});
