import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { AISP, aisGet, grantAccountAccess, sandboxPsu } from '../support/ais-access.ts';
import { TEST_NATS_URL, uniqueName } from '../support/backends.ts';
import { deleteTestStreams } from '../support/nats-cleanup.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { waitFor } from '../support/wait-for.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number; arrayValue?: { values: Array<{ stringValue?: string }> } } }>;
}

/** An OTLP/HTTP collector that keeps every span it is sent (JSON, as the exporter sends it). */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (request.url === '/v1/traces') {
        const document = JSON.parse(body.toString('utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
        for (const resource of document.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue !== undefined ? Number(value.intValue) : value?.arrayValue?.values.map((v) => v.stringValue));
};

describe('tracing over OTLP (PostgreSQL, NATS JetStream)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let app: TestPortico;
  let tpp: TppClient;
  const namespace = uniqueName('tracing');

  before(async () => {
    collector = await startCollector();
    app = await startTestPortico('postgres', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'portico-test', NATS_URL: TEST_NATS_URL, NATS_NAMESPACE: namespace }, { seedSandbox: true });
    tpp = await TppClient.onboard(app, 'Traced Ltd');
    await tpp.register();
  });
  after(async () => {
    await app?.close();
    await collector?.close();
    await deleteTestStreams(namespace);
  });

  it('an AIS read is one trace: the request span carries the interaction id and the TPP, its queries are child spans', async () => {
    const alice = await sandboxPsu(app, 0);
    const access = await grantAccountAccess(app, tpp, alice, { permissions: ['ReadAccountsDetail', 'ReadBalances'] });
    const interactionId = randomUUID();
    const accounts = await aisGet(tpp, access.token, `${AISP}/accounts`, { 'x-fapi-interaction-id': interactionId });
    assert.equal(accounts.status, 200, accounts.text);
    let request: OtlpSpan | undefined;
    await waitFor(() => (request = collector.spans.find((span) => attribute(span, 'fapi.interaction_id') === interactionId && span.kind === 2)) !== undefined, 'the request span');
    assert.equal(request!.name, 'GET /open-banking/v4.0/aisp/accounts');
    assert.equal(attribute(request!, 'http.response.status_code'), 200);
    assert.equal(attribute(request!, 'portico.tpp.client_id'), tpp.clientId);
    assert.equal(request!.parentSpanId || undefined, undefined, 'a root span');
    const children = collector.spans.filter((span) => span.traceId === request!.traceId && span.parentSpanId === request!.spanId);
    const queries = children.filter((span) => span.name.startsWith('db '));
    assert.ok(queries.length >= 1, `queries of the request: ${children.map((span) => span.name).join(', ')}`);
    assert.equal(attribute(queries[0]!, 'db.system.name'), 'postgresql');
    assert.doesNotMatch(String(attribute(queries[0]!, 'db.query.text')), new RegExp(alice.psuId), 'statements without their parameters');
  });

  it('an event a call records is published in a span that names the call\'s interaction id', async () => {
    const interactionId = randomUUID();
    const token = await tpp.clientCredentialsToken('accounts');
    const created = await tpp.mtls(`${AISP}/account-access-consents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-fapi-interaction-id': interactionId },
      body: JSON.stringify({ Data: { Permissions: ['ReadAccountsBasic'] }, Risk: {} }),
    });
    assert.equal(created.status, 201, created.text);
    await waitFor(
      () => collector.spans.some((span) => span.name === 'bus publish' && attribute(span, 'fapi.interaction_id') === interactionId),
      'the publication of the consent\'s event',
    );
  });
});
