import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Agent, request as undiciRequest } from 'undici';
import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { signBgRequest } from '../../support/bg-http-signature.ts';
import { arbitraryFor, bodyMutation, encodeSegment, HOSTILE_SEGMENTS, hostileText, mutate, resolveSchema, toJson, withOneHostileLeaf, type Schema } from '../../support/hostile-inputs.ts';
import { assertMatchesSchema, bgResponseSchema, SPECS_DIR } from '../../support/openapi.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { detailedConsent, psuCompletesSca, psusWithIban, XS2A, XS2A_REDIRECT_URI, Xs2aClient } from '../../support/xs2a-client.ts';

/**
 * Schema-derived hostile requests against every operation of the official NextGenPSD2 v1.3.12
 * file, as the OB v4.0 fuzz does for the UK facade: JSON bodies generated from the file's request
 * schemas (valid ones with one hostile leaf, wrong types, NUL, unpaired surrogates, huge numbers,
 * undeclared members), whole-body corruptions (invalid UTF-8, duplicate members, deep nesting,
 * truncation), hostile path ids, products and services, query values and XS2A headers
 * (`X-Request-ID`, `Consent-ID`, `PSU-IP-Address`, `TPP-Redirect-URI`), signed, unsigned or with a
 * forged signature, over mTLS with a QWAC so that requests reach the use cases. No answer may be a
 * 5xx; every error's status is one the file lists for the operation and its body is the file's
 * error body for that status. FUZZ_SEED / FUZZ_RUNS replay or widen.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261206);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);

interface Operation {
  readonly method: string;
  /** As the file writes it, e.g. /v1/consents/{consentId}. */
  readonly template: string;
  readonly bodySchema: Schema | undefined;
  readonly query: readonly string[];
  readonly statuses: ReadonlySet<number>;
}

const DOCUMENT = parseYaml(fs.readFileSync(path.join(SPECS_DIR, 'berlin-group', 'psd2-api_v1.3.12-2022-07-06.yaml'), 'utf8')) as Schema;

const resolve = (schema: Schema) => resolveSchema(schema, DOCUMENT);

function operations(): Operation[] {
  const found: Operation[] = [];
  for (const [template, methods] of Object.entries(DOCUMENT['paths'] as Record<string, Record<string, Schema>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (method === 'parameters') continue;
      const requestBody = operation['requestBody'] ? resolve(operation['requestBody'] as Schema) : undefined;
      const json = (requestBody?.['content'] as Record<string, { schema: Schema }> | undefined)?.['application/json']?.schema;
      const query = ((operation['parameters'] as Schema[] | undefined) ?? [])
        .map(resolve)
        .filter((parameter) => parameter['in'] === 'query')
        .map((parameter) => String(parameter['name']));
      const statuses = new Set(Object.keys(operation['responses'] as Schema).map(Number));
      found.push({ method: method.toUpperCase(), template, bodySchema: json, query, statuses });
    }
  }
  return found;
}

/** Header values as an HTTP client can send them (visible ASCII and spaces), hostile in content. */
const hostileHeader = fc.oneof(
  fc.constantFrom('', ' ', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', "' OR 1=1 --", 'x'.repeat(2000), '999.999.999.999', '::1', 'javascript:alert(1)', 'http://169.254.169.254/latest', '%00'),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim()),
);

/**
 * The file's error body for a status of an operation. For the statuses it gives no body (415: "no
 * valid message codes"), the facade still says what was wrong, as the 400 body of the operation
 * (`FORMAT_ERROR`); that is what is checked.
 */
function errorSchemaOf(operation: Operation, status: number): ValidateFunction {
  const response = resolve(((DOCUMENT['paths'] as Record<string, Record<string, Schema>>)[operation.template]![operation.method.toLowerCase()]!['responses'] as Record<string, Schema>)[String(status)]!);
  const hasBody = (response['content'] as Record<string, unknown> | undefined)?.['application/json'] !== undefined;
  return bgResponseSchema(operation.template, operation.method, hasBody ? status : 400);
}

const SERVICES = ['payments', 'bulk-payments', 'periodic-payments'];
const PRODUCTS = ['sepa-credit-transfers', 'instant-sepa-credit-transfers', 'target-2-payments', 'cross-border-credit-transfers', 'pain.001-sepa-credit-transfers'];

describe('hostile requests against every NextGenPSD2 v1.3.12 route (fuzz)', () => {
  let app: TestPortico;
  let tpp: Xs2aClient;
  let agent: Agent;
  const ids: string[] = [];
  const validBodies = new Map<string, unknown>();
  let consentId = '';

  before(async () => {
    app = await startTestPortico('postgres', {}, { seedSandbox: true });
    tpp = await Xs2aClient.onboard(app, 'Fuzz Finanz GmbH');
    const [first, other] = await psusWithIban(app);
    const { psu, iban } = first!;
    const created = await tpp.createConsent(detailedConsent([iban]));
    assert.equal(created.status, 201, created.text);
    const consent = created.json<{ consentId: string; _links: Record<string, { href: string }> }>();
    assert.equal(await psuCompletesSca(app, consent._links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
    consentId = consent.consentId;
    const accounts = await tpp.request(`${XS2A}/accounts`, { headers: { 'consent-id': consentId }, psuPresent: true });
    assert.equal(accounts.status, 200, accounts.text);
    const resourceId = accounts.json<{ accounts: Array<{ resourceId: string }> }>().accounts[0]!.resourceId;
    const single = { debtorAccount: { iban }, instructedAmount: { currency: 'EUR', amount: '1.00' }, creditorAccount: { iban: other!.iban }, creditorName: 'Fuzz Payee', endToEndIdentification: 'fuzz-e2e' };
    const payment = await tpp.request(`${XS2A}/payments/sepa-credit-transfers`, { body: single, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
    assert.equal(payment.status, 201, payment.text);
    const { paymentId, authorisationId } = payment.json<{ paymentId: string; authorisationId?: string }>();
    const authorisations = await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${paymentId}/authorisations`);
    const authorisationIds = authorisations.json<{ authorisationIds?: string[] }>().authorisationIds ?? [];
    ids.push(consentId, resourceId, paymentId, ...(authorisationId ? [authorisationId] : []), ...authorisationIds);
    validBodies.set('/v1/consents', detailedConsent([iban]));
    validBodies.set('/v1/{payment-service}/{payment-product}', single);
    validBodies.set('/v1/funds-confirmations', { account: { iban }, instructedAmount: { currency: 'EUR', amount: '1.00' } });
    agent = new Agent({ connect: { ca: app.portico.tls.clientCaPems[0]!, cert: tpp.tpp.transport.certificatePem, key: tpp.tpp.transport.privateKeyPem }, connections: 4 });
  });
  after(async () => {
    await agent?.close();
    await app?.close();
  });

  it(`answers ${RUNS} schema-derived hostile requests without a 5xx, every error the file's error body for a status it lists`, async (t) => {
    const requestArb = fc.constantFrom(...operations()).chain((operation) =>
      fc.record({
        operation: fc.constant(operation),
        body: operation.bodySchema
          ? validBodies.has(operation.template)
            ? fc.oneof(arbitraryFor(operation.bodySchema, DOCUMENT), withOneHostileLeaf(validBodies.get(operation.template)))
            : arbitraryFor(operation.bodySchema, DOCUMENT)
          : fc.constant(undefined),
        mutation: bodyMutation,
        nesting: fc.integer({ min: 30, max: 3000 }),
        service: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...SERVICES) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) }),
        product: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PRODUCTS) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) }),
        segment: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...(ids.length > 0 ? ids : ['x'])) },
          { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
          { weight: 2, arbitrary: hostileText.map(encodeSegment) },
        ),
        query: fc.option(fc.tuple(fc.constantFrom(...(operation.query.length > 0 ? operation.query : ['bookingStatus'])), fc.oneof(hostileText.map(encodeSegment), fc.constantFrom(...HOSTILE_SEGMENTS, 'booked', 'both', 'pending', 'true'))), { freq: 3 }),
        requestId: fc.oneof({ weight: 6, arbitrary: fc.constant('uuid') }, { weight: 1, arbitrary: fc.constant('none') }, { weight: 2, arbitrary: hostileHeader }),
        consentHeader: fc.oneof({ weight: 5, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: fc.constant('none') }, { weight: 2, arbitrary: hostileHeader }),
        psuIp: fc.oneof({ weight: 3, arbitrary: fc.constant('192.0.2.10') }, { weight: 2, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: hostileHeader }),
        redirect: fc.oneof({ weight: 3, arbitrary: fc.constant(XS2A_REDIRECT_URI) }, { weight: 1, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: hostileHeader }),
        signature: fc.constantFrom('valid', 'none', 'none', 'forged'),
        contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'none'),
      }),
    );

    let sent = 0;
    const statuses = new Map<number, number>();
    try {
      await fc.assert(
        fc.asyncProperty(requestArb, async (r) => {
          const { operation } = r;
          const pathname =
            `${XS2A}${operation.template.slice('/v1'.length)}`
              .replace('{payment-service}', r.service)
              .replace('{payment-product}', r.product)
              .replace(/\{[^}]+\}/g, () => r.segment) + (r.query ? `?${r.query[0]}=${r.query[1]}` : '');
          const json = r.body === undefined ? undefined : toJson(r.body);
          const body = json === undefined ? undefined : mutate(json, r.mutation, r.nesting, 'access');
          const headers: Record<string, string> = {};
          if (r.requestId === 'uuid') headers['x-request-id'] = randomUUID();
          else if (r.requestId !== 'none') headers['x-request-id'] = r.requestId;
          if (r.consentHeader === 'valid') headers['consent-id'] = consentId;
          else if (r.consentHeader !== 'none') headers['consent-id'] = r.consentHeader;
          if (r.psuIp !== 'none') headers['psu-ip-address'] = r.psuIp;
          if (r.redirect !== 'none') headers['tpp-redirect-uri'] = r.redirect;
          if (body !== undefined && r.contentType !== 'none') headers['content-type'] = r.contentType;
          if (r.signature === 'valid') {
            Object.assign(headers, signBgRequest({ method: operation.method, url: pathname, headers, body: body ?? '', certificatePem: tpp.tpp.signing.certificatePem, privateKey: tpp.tpp.signing.privateKeyPem }));
          } else if (r.signature === 'forged') {
            headers['digest'] = 'SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
            headers['signature'] = 'keyId="SN=1,CA=CN=Nobody",algorithm="rsa-sha256",headers="digest x-request-id",signature="Zm9yZ2Vk"';
            headers['tpp-signature-certificate'] = 'TUlJQm9ndXM=';
          }
          sent += 1;
          const response = await undiciRequest(`${app.base}${pathname}`, { method: operation.method, headers, body, dispatcher: agent });
          const text = await response.body.text();
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          const context = `${operation.method} ${pathname.slice(0, 200)} (signature ${r.signature}, ${r.mutation}, content-type ${r.contentType}, headers ${JSON.stringify(headers).slice(0, 300)})\nbody: ${body?.toString('utf8').slice(0, 300)}\n=> ${response.statusCode} ${text.slice(0, 500)}`;
          assert.ok(response.statusCode < 500, `a 5xx: ${context}`);
          if (response.statusCode >= 400) {
            assert.ok(operation.statuses.has(response.statusCode), `a status the file does not list for ${operation.method} ${operation.template}: ${context}`);
            assert.match(String(response.headers['content-type']), /^application\/json/, context);
            let parsed: unknown;
            assert.doesNotThrow(() => (parsed = JSON.parse(text)), context);
            assert.doesNotThrow(() => assertMatchesSchema(parsed, errorSchemaOf(operation, response.statusCode)), context);
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } catch (error) {
      console.error(`hostile-requests fuzz failed with seed ${SEED} (replay: FUZZ_SEED=${SEED})`, (error as Error).cause ?? error);
      throw error;
    }
    t.diagnostic(`seed ${SEED}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    assert.equal(sent, RUNS);
    // The requests reached the use cases, not only the edge: some were accepted, some refused by rules.
    assert.ok([200, 201, 204].some((status) => (statuses.get(status) ?? 0) > 0), `some requests succeed: ${JSON.stringify([...statuses])}`);
  });
});
