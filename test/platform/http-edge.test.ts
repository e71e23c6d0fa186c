import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { Agent, request as undiciRequest } from 'undici';
import { buildHttpServer, createHttpMetrics } from '../../src/platform/http/index.ts';
import { loadServerTls, type ServerTls } from '../../src/platform/tls/index.ts';
import { renderObErrorV4 } from '../../src/standards/uk-obie/v4.0/index.ts';
import { httpsRequest } from '../support/https-client.ts';
import { assertMatchesSchema, obSchema } from '../support/openapi.ts';
import { silentLogger } from '../support/silent-logger.ts';

const errorResponse = obSchema('account-info', 'OBErrorResponse1');
const BODY_LIMIT = 1024 * 1024;

interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** Parses one HTTP/1.1 response with a content-length, as read off the socket. */
function parseResponse(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  assert.ok(split > 0, `a complete response head: ${JSON.stringify(text.slice(0, 200))}`);
  const head = text.slice(0, split);
  return { status: Number(head.split(' ')[1]), head, body: text.slice(split + 4) };
}

/** An OBErrorResponse1 with the status's Code, the error code and the interaction id of the response. */
function assertObErrorBody(response: { status: number; body: string; interactionId: string | undefined }, status: number, code: string): void {
  assert.equal(response.status, status, response.body);
  const body = JSON.parse(response.body) as { Id: string; Code: string; Errors: Array<{ ErrorCode: string }> };
  assertMatchesSchema(body, errorResponse);
  assert.equal(body.Code.split(' ')[0], String(status));
  assert.deepEqual(body.Errors.map((e) => e.ErrorCode), [code]);
  assert.equal(body.Id, response.interactionId);
}

describe('the framework edge answers with OBErrorResponse1', () => {
  let app: FastifyInstance;
  let serverTls: ServerTls;
  let base: string;
  let port: number;
  const ca = () => serverTls.clientCaPems[0]!;

  /**
   * Writes `head` and then `body` over TLS, each write waited for (as curl does: a failed send is
   * fatal, the answer is then never read), then reads the answer the server sent before closing.
   */
  function rawExchange(head: string, body: Buffer = Buffer.alloc(0), chunk = 64 * 1024): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: ca() });
      const received: Buffer[] = [];
      const write = (data: Buffer | string) => new Promise<void>((done, fail) => socket.write(data, (error) => (error ? fail(error) : done())));
      let sending: Promise<void> = Promise.resolve();
      socket.once('secureConnect', () => {
        sending = (async () => {
          await write(head);
          for (let offset = 0; offset < body.length; offset += chunk) await write(body.subarray(offset, offset + chunk));
        })();
        sending.catch(() => undefined);
      });
      socket.on('data', (data: Buffer) => received.push(data));
      socket.on('error', (error) => reject(new Error(`connection failed: ${error.message}`)));
      socket.on('end', async () => {
        try {
          await sending;
        } catch (error) {
          reject(new Error(`the server closed while the client was still sending: ${(error as Error).message}`));
          return;
        }
        try {
          resolve(parseResponse(Buffer.concat(received).toString('utf8')));
        } catch (error) {
          reject(error as Error);
        }
      });
    });
  }

  before(async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-edge-'));
    serverTls = await loadServerTls({ dataDir, publicUrl: 'https://localhost:8443' });
    app = await buildHttpServer({
      logger: silentLogger,
      bodyLimitBytes: BODY_LIMIT,
      tls: serverTls,
      trustProxyClientCertHeader: undefined,
      metrics: createHttpMetrics(),
      resolveErrorRenderer: () => renderObErrorV4,
      edgeErrorRenderer: renderObErrorV4,
    });
    app.get('/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    app.post('/echo', async (request) => ({ received: request.body }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    base = `https://localhost:${port}`;
  });
  after(async () => {
    await app.close();
  });

  const get = async (pathname: string, headers: Record<string, string> = {}) => {
    const response = await httpsRequest(`${base}${pathname}`, { ca: ca(), headers });
    return { status: response.status, body: response.text, interactionId: response.headers['x-fapi-interaction-id'] as string | undefined };
  };

  it('attack: a path parameter longer than the router serves: 414 U002', async () => {
    assertObErrorBody(await get(`/items/${'a'.repeat(500)}`), 414, 'U002');
  });

  it('attack: a 10 KiB query string: 414 U002', async () => {
    assertObErrorBody(await get(`/items/x?filler=${'a'.repeat(10 * 1024)}`), 414, 'U002');
  });

  it('attack: bad URL encoding (%zz, an encoded lone surrogate): 400 U002', async () => {
    for (const id of ['%zz', '%ED%A0%80', 'a%']) assertObErrorBody(await get(`/items/${id}`), 400, 'U002');
  });

  it('attack: %00 in a path id or a query value: 400 U002 naming it', async () => {
    const byPath = await get('/items/abc%00def');
    assertObErrorBody(byPath, 400, 'U002');
    assert.equal(JSON.parse(byPath.body).Errors[0].Path, 'params.id');
    const byQuery = await get('/items/abc?cursor=%00');
    assertObErrorBody(byQuery, 400, 'U002');
    assert.equal(JSON.parse(byQuery.body).Errors[0].Path, 'query.cursor');
  });

  it('attack: 20 KiB of headers: 431 U006', async () => {
    assertObErrorBody(await get('/items/x', { 'x-filler': 'a'.repeat(20 * 1024) }), 431, 'U006');
  });

  it("attack: headers beyond Node's parser limit: 431 U006, written by the client-error handler", async () => {
    const response = await rawExchange(`GET /items/x HTTP/1.1\r\nHost: localhost\r\nX-Filler: ${'a'.repeat(80 * 1024)}\r\n\r\n`);
    assertObErrorBody({ ...response, interactionId: /x-fapi-interaction-id: (\S+)/.exec(response.head)?.[1] }, 431, 'U006');
  });

  it('attack: malformed header bytes and request lines: 400 U006', async () => {
    for (const request of [
      'GET /items/x HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0001b\r\n\r\n',
      'GET /items/x HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n',
      'GET /a b c HTTP/1.1\r\nHost: localhost\r\n\r\n',
      'GET /items/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    ]) {
      const response = await rawExchange(request);
      assertObErrorBody({ ...response, interactionId: /x-fapi-interaction-id: (\S+)/.exec(response.head)?.[1] }, 400, 'U006');
    }
  });

  it('attack: duplicate JSON keys (last-wins while a signature covers both): 400 U010 naming the member', async () => {
    const response = await httpsRequest(`${base}/echo`, {
      method: 'POST',
      ca: ca(),
      headers: { 'content-type': 'application/json' },
      body: '{"Data":{"Amount":"1.00","Amount":"1000000.00"}}',
    });
    assertObErrorBody({ status: response.status, body: response.text, interactionId: response.headers['x-fapi-interaction-id'] as string }, 400, 'U010');
    assert.equal(response.json<{ Errors: Array<{ Path: string }> }>().Errors[0]!.Path, 'Data.Amount');
  });

  it('attack: a 5 MiB body sent in full over HTTPS gets the 413 OB body, never a connection reset', async () => {
    const body = Buffer.alloc(5 * 1024 * 1024, 'a');
    for (const framing of [`Content-Length: ${body.length}`, 'Transfer-Encoding: chunked']) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const sent = framing.startsWith('Transfer') ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : body;
        const response = await rawExchange(`POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`, sent);
        assertObErrorBody({ ...response, interactionId: /x-fapi-interaction-id: (\S+)/.exec(response.head)?.[1] }, 413, 'U010');
      }
    }
    // The same with a standard HTTP client on a keep-alive pool.
    const agent = new Agent({ connect: { ca: ca() } });
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await undiciRequest(`${base}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher: agent });
        assertObErrorBody({ status: response.statusCode, body: await response.body.text(), interactionId: response.headers['x-fapi-interaction-id'] as string }, 413, 'U010');
      }
    } finally {
      await agent.close();
    }
  });

  it('a request that fits every limit is served as before', async () => {
    const response = await get(`/items/${'a'.repeat(150)}?q=${'b'.repeat(4000)}`);
    assert.equal(response.status, 200, response.body);
    const echoed = await httpsRequest(`${base}/echo`, { method: 'POST', ca: ca(), headers: { 'content-type': 'application/json' }, body: '{"a":"\\u00e9\\ud83d\\ude00","b":[1,2.5e10,{"c":null}]}' });
    assert.equal(echoed.status, 200, echoed.text);
    assert.deepEqual(echoed.json(), { received: { a: 'é😀', b: [1, 2.5e10, { c: null }] } });
  });
});
