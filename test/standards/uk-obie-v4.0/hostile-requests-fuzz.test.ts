import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Agent, request as undiciRequest } from 'undici';
import { grantAccountAccess, sandboxPsu } from '../../support/ais-access.ts';
import { arbitraryFor, bodyMutation, encodeSegment, HOSTILE_SEGMENTS, hostileText, mutate, toJson, withOneHostileLeaf, type Schema, type StringHint } from '../../support/hostile-inputs.ts';
import { registerClient } from '../../support/ob-dcr-client.ts';
import { assertMatchesSchema, obSchema, SPECS_DIR } from '../../support/openapi.ts';
import { authorisedConsent, gbpAccount, tppSignature } from '../../support/pis-access.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { TppClient } from '../../support/tpp-client.ts';

/**
 * Schema-derived hostile requests against a running server (issue #11): every operation of the
 * official v4.0 AIS, PIS, CBPII, VRP and event subscription and polling OpenAPI files, with bodies generated from their request
 * schemas and then corrupted (NUL, unpaired surrogates, huge numbers, wrong types, deep nesting,
 * duplicate members, invalid UTF-8, unicode), hostile path ids and query values, with valid mTLS,
 * tokens and x-jws-signature where useful so requests reach parsing and the use cases. No answer
 * may be a 5xx and every error must be an OBErrorResponse1. FUZZ_SEED / FUZZ_RUNS replay or widen.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261204);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);

type SpecName = 'account-info' | 'payment-initiation' | 'confirmation-funds' | 'vrp' | 'events';
const SPECS: readonly SpecName[] = ['account-info', 'payment-initiation', 'confirmation-funds', 'vrp', 'events'];

interface Operation {
  readonly spec: SpecName;
  readonly method: string;
  /** The full path template, e.g. /open-banking/v4.0/pisp/domestic-payment-consents/{ConsentId}. */
  readonly template: string;
  readonly scope: string;
  /** PSU (authorization code) token or TPP (client credentials) token, as the spec's security says. */
  readonly psu: boolean;
  readonly bodySchema: Schema | undefined;
  readonly query: readonly string[];
}

/** The parsed OpenAPI files, kept out of `Operation` so that a counterexample prints small. */
const DOCUMENTS = new Map<SpecName, Schema>();

function operationsOf(spec: SpecName): Operation[] {
  const document = JSON.parse(fs.readFileSync(path.join(SPECS_DIR, 'uk-obie', 'v4.0', `${spec}-openapi.json`), 'utf8')) as Schema;
  DOCUMENTS.set(spec, document);
  const base = ((document['servers'] as Array<{ url: string }>)[0]!.url).replace(/\/$/, '');
  const parameters = (document['components'] as { parameters: Record<string, { in: string; name: string }> }).parameters;
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(document['paths'] as Record<string, Record<string, Schema>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (method === 'parameters') continue;
      const security = (operation['security'] as Array<Record<string, string[]>> | undefined)?.[0] ?? {};
      const [scheme, scopes] = Object.entries(security)[0] ?? ['TPPOAuth2Security', ['accounts']];
      const content = (operation['requestBody'] as { content?: Record<string, { schema: Schema }> } | undefined)?.content;
      const json = content ? Object.entries(content).find(([type]) => type.startsWith('application/json') && !type.includes('patch'))?.[1].schema : undefined;
      const query = ((operation['parameters'] as Array<{ $ref?: string; in?: string; name?: string }> | undefined) ?? [])
        .map((p) => (p.$ref ? parameters[p.$ref.split('/').pop()!] : p))
        .filter((p): p is { in: string; name: string } => p?.in === 'query')
        .map((p) => p.name);
      operations.push({ spec, method: method.toUpperCase(), template: `${base}${template}`, scope: scopes?.[0] ?? 'accounts', psu: scheme.startsWith('PSU'), bodySchema: json, query });
    }
  }
  return operations;
}

/** OB amounts (`OBActiveOrHistoricCurrencyAndAmount`), which the generic strings would never hit. */
const amounts: StringHint = (node) =>
  /Amount$/.test(String(node['description'] ?? '')) || node['pattern'] === '^\\d{1,13}$|^\\d{1,13}\\.\\d{1,5}$' ? fc.constantFrom('1.00', '10.50', '0.01') : undefined;

describe('hostile requests against every OB v4.0 route (fuzz)', () => {
  let app: TestPortico;
  let tpp: TppClient;
  let agent: Agent;
  const ids: string[] = [];
  const tokens: Record<string, string> = {};
  /** Valid bodies of some POST operations (by path template), so that hostile leaves reach the use cases. */
  const validBodies = new Map<string, unknown>();
  const operations = SPECS.flatMap(operationsOf);
  const errorSchemas = Object.fromEntries(SPECS.map((spec) => [spec, obSchema(spec, 'OBErrorResponse1')]));

  before(async () => {
    app = await startTestPortico('postgres', {}, { seedSandbox: true });
    tpp = await TppClient.onboard(app, 'Fuzz TPP', ['AISP', 'PISP', 'CBPII']);
    tpp.clientId = (await registerClient(app, tpp.tpp, { scope: 'openid accounts payments fundsconfirmations' })).client_id;
    const alice = await sandboxPsu(app, 0);
    const bob = await sandboxPsu(app, 1);
    const account = await gbpAccount(app, alice);
    const bobAccount = await gbpAccount(app, bob);
    for (const scope of ['accounts', 'payments', 'fundsconfirmations']) tokens[`tpp:${scope}`] = await tpp.clientCredentialsToken(scope);
    const ais = await grantAccountAccess(app, tpp, alice, {
      permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits', 'ReadBeneficiariesDetail', 'ReadStandingOrdersDetail', 'ReadScheduledPaymentsDetail', 'ReadDirectDebits', 'ReadStatementsDetail', 'ReadParty', 'ReadProducts', 'ReadOffers'],
    });
    tokens['psu:accounts'] = ais.token;
    const pis = await authorisedConsent(app, tpp, async (_m, _p, response) => response, {
      path: '/domestic-payment-consents',
      body: { Data: { Initiation: { InstructionIdentification: 'fuzz-1', EndToEndIdentification: 'fuzz-e2e', InstructedAmount: { Amount: '1.00', Currency: 'GBP' }, CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${bobAccount.sortCode}${bobAccount.accountNumber}`, Name: 'Bob' } } }, Risk: {} },
      psu: alice,
      accountId: account.id,
    });
    const initiation = {
      InstructionIdentification: 'fuzz-1',
      EndToEndIdentification: 'fuzz-e2e',
      InstructedAmount: { Amount: '1.00', Currency: 'GBP' },
      CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${bobAccount.sortCode}${bobAccount.accountNumber}`, Name: 'Bob' },
    };
    validBodies.set('/open-banking/v4.0/aisp/account-access-consents', { Data: { Permissions: ['ReadAccountsDetail', 'ReadBalances'] }, Risk: {} });
    validBodies.set('/open-banking/v4.0/pisp/domestic-payment-consents', { Data: { Initiation: initiation }, Risk: {} });
    validBodies.set('/open-banking/v4.0/pisp/domestic-payments', { Data: { ConsentId: pis.consentId, Initiation: initiation }, Risk: {} });
    validBodies.set('/open-banking/v4.0/cbpii/funds-confirmation-consents', {
      Data: { DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${account.sortCode}${account.accountNumber}`, Name: 'Alice' } },
    });
    validBodies.set('/open-banking/v4.0/event-subscriptions', { Data: { CallbackUrl: 'https://tpp.example/callbacks', Version: '4.0', EventTypes: ['urn:uk:org:openbanking:events:resource-update'] } });
    validBodies.set('/open-banking/v4.0/events', { maxEvents: 5, returnImmediately: true });
    tokens['psu:payments'] = pis.psuToken;
    tokens['psu:fundsconfirmations'] = pis.psuToken;
    ids.push(ais.consentId, pis.consentId, account.id, ...alice.accountIds.slice(0, 2));
    agent = new Agent({ connect: { ca: app.portico.tls.clientCaPems[0]!, cert: tpp.tpp.transport.certificatePem, key: tpp.tpp.transport.privateKeyPem }, connections: 4 });
    const subscription = JSON.stringify(validBodies.get('/open-banking/v4.0/event-subscriptions'));
    const subscribed = await undiciRequest(`${app.base}/open-banking/v4.0/event-subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens['tpp:accounts']}`, 'content-type': 'application/json', 'x-idempotency-key': 'fuzz-subscription', 'x-jws-signature': await tppSignature(tpp, subscription) },
      body: subscription,
      dispatcher: agent,
    });
    const subscribedBody = await subscribed.body.json() as { Data: { EventSubscriptionId: string } };
    assert.equal(subscribed.statusCode, 201, JSON.stringify(subscribedBody));
    ids.push(subscribedBody.Data.EventSubscriptionId);
  });
  after(async () => {
    await agent?.close();
    await app?.close();
  });

  it(`answers ${RUNS} schema-derived hostile requests without a 5xx, every error an OBErrorResponse1`, async (t) => {
    const operationArb = fc.constantFrom(...operations);
    const requestArb = operationArb.chain((operation) =>
      fc.record({
        operation: fc.constant(operation),
        body: operation.bodySchema
          ? validBodies.has(operation.template) && operation.method === 'POST'
            ? fc.oneof(arbitraryFor(operation.bodySchema, DOCUMENTS.get(operation.spec)!, amounts), withOneHostileLeaf(validBodies.get(operation.template)))
            : arbitraryFor(operation.bodySchema, DOCUMENTS.get(operation.spec)!, amounts)
          : fc.constant(undefined),
        mutation: bodyMutation,
        nesting: fc.integer({ min: 30, max: 3000 }),
        segment: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...(ids.length > 0 ? ids : ['x'])) },
          { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
          { weight: 2, arbitrary: hostileText.map(encodeSegment) },
        ),
        query: fc.option(fc.tuple(fc.constantFrom(...(operation.query.length > 0 ? operation.query : ['page'])), fc.oneof(hostileText.map(encodeSegment), fc.constantFrom(...HOSTILE_SEGMENTS))), { freq: 3 }),
        token: fc.oneof(
          { weight: 6, arbitrary: fc.constant(`${operation.psu ? 'psu' : 'tpp'}:${operation.scope}`) },
          { weight: 2, arbitrary: fc.constant(`${operation.psu ? 'tpp' : 'psu'}:${operation.scope}`) },
          { weight: 1, arbitrary: fc.constantFrom('none', 'garbage') },
        ),
        signature: fc.constantFrom('valid', 'valid', 'valid', 'garbage', 'none'),
        contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/xml', 'none'),
        idempotencyKey: fc.oneof(fc.uuid(), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 60 }).filter((s) => /^[\x20-\x7e]+$/.test(s.trim()) && s.trim() === s)),
      }),
    );

    let sent = 0;
    const statuses = new Map<number, number>();
    try {
      await fc.assert(
        fc.asyncProperty(requestArb, async (r) => {
          const { operation } = r;
          const pathname = operation.template.replace(/\{[^}]+\}/g, () => r.segment) + (r.query ? `?${r.query[0]}=${r.query[1]}` : '');
          const json = r.body === undefined ? undefined : toJson(r.body);
          const body = json === undefined ? undefined : mutate(json, r.mutation, r.nesting, 'Data');
          const headers: Record<string, string> = { 'x-fapi-interaction-id': `fuzz-${sent}`, 'x-idempotency-key': r.idempotencyKey };
          if (r.token === 'garbage') headers['authorization'] = 'Bearer not-a-token-0123456789';
          else if (r.token !== 'none' && tokens[r.token]) headers['authorization'] = `Bearer ${tokens[r.token]}`;
          if (body !== undefined) {
            if (r.contentType !== 'none') headers['content-type'] = r.contentType;
            if (r.signature === 'valid') headers['x-jws-signature'] = await tppSignature(tpp, body.toString('utf8'));
            else if (r.signature === 'garbage') headers['x-jws-signature'] = 'eyJhbGciOiJub25lIn0..c2ln';
          }
          sent += 1;
          const response = await undiciRequest(`${app.base}${pathname}`, { method: operation.method, headers, body, dispatcher: agent });
          const text = await response.body.text();
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          const context = `${operation.method} ${pathname.slice(0, 200)} (${operation.spec}, token ${r.token}, ${r.mutation}, content-type ${r.contentType})\nbody: ${body?.toString('utf8').slice(0, 300)}\n=> ${response.statusCode} ${text.slice(0, 500)}`;
          assert.ok(response.statusCode < 500, `a 5xx: ${context}`);
          if (response.statusCode >= 400) {
            assert.match(String(response.headers['content-type']), /^application\/json/, context);
            let parsed: unknown;
            assert.doesNotThrow(() => (parsed = JSON.parse(text)), context);
            assertMatchesSchema(parsed, errorSchemas[operation.spec]!);
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } catch (error) {
      console.error(`hostile-requests fuzz failed with seed ${SEED} (replay: FUZZ_SEED=${SEED})`);
      throw error;
    }
    t.diagnostic(`seed ${SEED}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    assert.equal(sent, RUNS);
    // The requests reached the use cases, not only the edge: some were accepted, some refused by rules.
    assert.ok([200, 201, 204].some((status) => (statuses.get(status) ?? 0) > 0), `some requests succeed: ${JSON.stringify([...statuses])}`);
  });
});
