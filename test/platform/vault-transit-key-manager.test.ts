import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { constants, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { calculateJwkThumbprint, compactVerify, importJWK, type JWK } from 'jose';
import {
  signCompactJws,
  VaultTransitKeyManager,
  type JwsAlg,
  type JwsSigningKeys,
  type KeyManager,
  type StoredSigningKey,
} from '../../src/platform/keystore/index.ts';
import { VaultTransitFake, type VaultExchange } from '../support/vault-transit-fake.ts';
import { freePort } from '../support/free-port.ts';

type Shape = string | { enum: unknown[] } | { pattern: string } | { each: Shape } | { fields: Record<string, Shape>; closed?: boolean };
interface ExchangeSpec {
  request: { method: string; path: string; body?: Shape };
  response: { status: number[]; data: Shape };
}
interface Contract {
  envelope: Shape;
  errorBody: Shape;
  exchanges: Record<'createKey' | 'readKey' | 'signEs256' | 'signPs256', ExchangeSpec>;
  errors: Record<string, { status: number; errors: string[] }>;
}
const contract = JSON.parse(readFileSync(new URL('../fixtures/vault-transit/contract.json', import.meta.url), 'utf8')) as Contract;

const TOKEN = 'hvs.test-token-that-must-never-be-logged';
const NAMESPACE = 'bank/open-banking';
const OWNER = 'auth_signing_keys';

/** What is wrong with `value` against a contract shape (test/fixtures/vault-transit/contract.json `shapes`). */
function problems(value: unknown, shape: Shape, at: string): string[] {
  const seen = JSON.stringify(value)?.slice(0, 80);
  if (typeof shape === 'string') return shape.split('|').some((type) => isOfType(value, type)) ? [] : [`${at}: expected ${shape}, got ${seen}`];
  if ('enum' in shape) return shape.enum.some((allowed) => isDeepStrictEqual(allowed, value)) ? [] : [`${at}: expected one of ${JSON.stringify(shape.enum)}, got ${seen}`];
  if ('pattern' in shape) return typeof value === 'string' && new RegExp(shape.pattern).test(value) ? [] : [`${at}: does not match ${shape.pattern}: ${seen}`];
  if ('each' in shape) return Array.isArray(value) ? value.flatMap((item, i) => problems(item, shape.each, `${at}[${i}]`)) : [`${at}: expected an array`];
  if (!isOfType(value, 'object')) return [`${at}: expected an object, got ${seen}`];
  const object = value as Record<string, unknown>;
  const found = Object.entries(shape.fields).flatMap(([field, inner]) => (field in object ? problems(object[field], inner, `${at}.${field}`) : [`${at}.${field}: missing`]));
  const extra = shape.closed ? Object.keys(object).filter((field) => !(field in shape.fields)).map((field) => `${at}.${field}: not in the contract`) : [];
  return [...found, ...extra];
}

function isOfType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'null') return value === null;
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === type;
}

/** Which recorded exchange of the contract a request is (sign: by the type of the key it names). */
function endpointOf(exchange: VaultExchange, vault: VaultTransitFake): keyof Contract['exchanges'] | undefined {
  const { method, path } = exchange.request;
  for (const [name, spec] of Object.entries(contract.exchanges) as Array<[keyof Contract['exchanges'], ExchangeSpec]>) {
    const match = new RegExp(`^${spec.request.path.replace('{mount}', 'transit').replace('{name}', '([\\w.@-]+)')}$`).exec(path);
    if (spec.request.method !== method || !match) continue;
    if (name.startsWith('sign') && (vault.keyType(match[1]!) === 'rsa-2048') !== (name === 'signPs256')) continue;
    return name;
  }
  return undefined;
}

function contractProblems(exchange: VaultExchange, vault: VaultTransitFake): string[] {
  const endpoint = endpointOf(exchange, vault);
  if (!endpoint) return [`${exchange.request.method} ${exchange.request.path}: no such exchange in the contract`];
  const spec = contract.exchanges[endpoint];
  const { status, body } = exchange.response;
  const request = spec.request.body ? problems(exchange.request.body, spec.request.body, `${endpoint} request body`) : exchange.request.body === undefined ? [] : [`${endpoint}: a body was sent`];
  if (!spec.response.status.includes(status)) return [...request, `${endpoint}: status ${status}`];
  if (status === 204) return body === undefined ? request : [...request, `${endpoint}: a 204 with a body`];
  const data = (body as { data?: unknown } | undefined)?.data;
  return [...request, ...problems(body, contract.envelope, `${endpoint} answer`), ...problems(data, spec.response.data, `${endpoint} answer data`)];
}

function assertContractError(exchange: VaultExchange | undefined, name: string): void {
  const expected = contract.errors[name]!;
  assert.ok(exchange, `an exchange for ${name}`);
  assert.equal(exchange.response.status, expected.status, name);
  assert.deepEqual(problems(exchange.response.body, contract.errorBody, name), []);
  assert.deepEqual((exchange.response.body as { errors: string[] }).errors, expected.errors, name);
}

/** The bank's signing keys as a JWS producer sees them, over keys this manager made. */
function signingKeysOver(manager: KeyManager, keys: readonly StoredSigningKey[]): JwsSigningKeys {
  return {
    signingKid: (alg) => keys.find((key) => key.alg === alg)?.kid ?? assert.fail(`no ${alg} key`),
    sign: (kid, alg, input) => manager.sign(keys.find((key) => key.kid === kid && key.alg === alg) ?? assert.fail(`no ${alg} key ${kid}`), input),
  };
}

async function createStored(manager: KeyManager, alg: JwsAlg): Promise<{ stored: StoredSigningKey; publicJwk: JWK }> {
  const { publicJwk, reference } = await manager.createSigningKey(alg, OWNER);
  return { stored: { kid: publicJwk.kid!, alg, owner: OWNER, reference }, publicJwk };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  return assert.fail('expected the call to fail');
}

describe('VaultTransitKeyManager (HashiCorp Vault transit engine)', () => {
  let vault: VaultTransitFake;
  let manager: VaultTransitKeyManager;

  before(async () => {
    vault = await VaultTransitFake.start({ token: TOKEN, namespace: NAMESPACE });
    manager = new VaultTransitKeyManager({ url: vault.url, token: TOKEN, namespace: NAMESPACE, timeoutMs: 2_000 });
  });
  after(async () => {
    await manager.close();
    await vault.close();
  });

  it('makes PS256 and ES256 keys in Vault and signs compact JWS with them that verify against the public keys it returned', async () => {
    for (const alg of ['PS256', 'ES256'] as const) {
      const { stored, publicJwk } = await createStored(manager, alg);
      const { kid: _kid, alg: _alg, use, ...publicPart } = publicJwk;
      assert.equal(stored.kid, await calculateJwkThumbprint(publicPart), 'the kid is the RFC 7638 thumbprint');
      assert.equal(publicJwk.alg, alg);
      assert.equal(use, 'sig');
      assert.equal(publicJwk.d, undefined, 'no private part');
      assert.deepEqual(stored.reference, { type: 'vault', key: (stored.reference as { key: string }).key, version: 1 });
      assert.match((stored.reference as { key: string }).key, /^portico-auth_signing_keys-[0-9a-f]{16}$/);
      assert.equal(manager.owns(stored.reference), true);

      const payload = Buffer.from(JSON.stringify({ Data: { ConsentId: 'c-1' }, alg }));
      const jws = await signCompactJws(signingKeysOver(manager, [stored]), alg, { typ: 'JOSE', 'http://openbanking.org.uk/iat': 1_700_000_000 }, payload);
      const verified = await compactVerify(jws, await importJWK(publicJwk, alg));
      assert.deepEqual(Buffer.from(verified.payload), payload);
      assert.equal(verified.protectedHeader.kid, stored.kid);
      assert.equal(verified.protectedHeader.alg, alg);

      const [header, body, signature] = jws.split('.') as [string, string, string];
      const bytes = Buffer.from(signature, 'base64url');
      const key = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' });
      const input = Buffer.from(`${header}.${body}`);
      if (alg === 'ES256') {
        assert.equal(bytes.length, 64, 'R‖S, not DER');
        assert.ok(verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, bytes));
      } else {
        assert.equal(bytes.length, 256);
        assert.ok(verify('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, bytes), 'RSA-PSS with a salt as long as the hash (RFC 7518 §3.5)');
      }
    }
  });

  it('speaks the recorded contract: every request it sends and every answer the fake gives fit contract.json', async () => {
    const mark = vault.exchanges.length;
    for (const alg of ['PS256', 'ES256'] as const) {
      const { stored } = await createStored(manager, alg);
      await manager.sign(stored, Buffer.from('eyJhbGciOiJQUzI1NiJ9.e30'));
    }
    const exchanges = vault.exchanges.slice(mark);
    assert.deepEqual(exchanges.map((exchange) => endpointOf(exchange, vault)), ['createKey', 'readKey', 'signPs256', 'createKey', 'readKey', 'signEs256']);
    assert.deepEqual(exchanges.flatMap((exchange) => contractProblems(exchange, vault)), []);
    for (const { request } of exchanges) {
      assert.equal(request.token, TOKEN, 'X-Vault-Token');
      assert.equal(request.namespace, NAMESPACE, 'X-Vault-Namespace');
      if (request.method === 'POST') assert.equal(request.contentType, 'application/json');
    }
    const signPs256 = exchanges[2]!.request.body as Record<string, unknown>;
    assert.equal(Buffer.from(signPs256['input'] as string, 'base64').toString(), 'eyJhbGciOiJQUzI1NiJ9.e30', 'the JWS signing input, base64');
    assert.equal(signPs256['key_version'], 1);
  });

  it("Vault's default PSS salt (auto, the longest) does not verify as PS256: the salt_length the adapter asks for matters", async () => {
    const { stored, publicJwk } = await createStored(manager, 'PS256');
    const name = (stored.reference as { key: string }).key;
    const input = Buffer.from('eyJhbGciOiJQUzI1NiJ9.e30');
    const answer = await fetch(`${vault.url}/v1/transit/sign/${name}/sha2-256`, {
      method: 'POST',
      headers: { 'x-vault-token': TOKEN, 'x-vault-namespace': NAMESPACE },
      body: JSON.stringify({ input: input.toString('base64'), marshaling_algorithm: 'jws' }),
    });
    const signature = Buffer.from(((await answer.json()) as { data: { signature: string } }).data.signature.split(':')[2]!, 'base64url');
    const key = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' });
    assert.equal(verify('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature), false);
    assert.ok(verify('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature));
  });

  it('creates keys that cannot be exported: nothing but the key type is asked for, and Vault reads them back as not exportable', async () => {
    const mark = vault.exchanges.length;
    await createStored(manager, 'ES256');
    const [create, read] = vault.exchanges.slice(mark);
    assert.deepEqual(create!.request.body, { type: 'ecdsa-p256' });
    assert.equal((create!.request.body as Record<string, unknown>)['exportable'], undefined);
    assert.equal((read!.response.body as { data: { exportable: boolean } }).data.exportable, false);
  });

  it('a wrong token: a clear 403 error naming Vault’s answer, never the token', async () => {
    const secret = 'hvs.wrong-token-s3cr3t';
    const intruder = new VaultTransitKeyManager({ url: vault.url, token: secret, namespace: NAMESPACE, timeoutMs: 2_000 });
    try {
      const { stored } = await createStored(manager, 'ES256');
      for (const call of [intruder.createSigningKey('PS256', OWNER), intruder.sign(stored, Buffer.from('x'))]) {
        const error = await rejection(call);
        assert.match(error.message, /answered 403: permission denied/);
        assert.ok(!error.message.includes(secret) && !error.message.includes(TOKEN), 'no token in the message');
        assert.ok(!JSON.stringify(error).includes(secret));
        assertContractError(vault.exchanges.at(-1), 'wrongToken');
      }
    } finally {
      await intruder.close();
    }
  });

  it("Vault's error answers fit the contract: an unknown key (404 on read, 400 on sign) and a bad request (400)", async () => {
    const headers = { 'x-vault-token': TOKEN, 'x-vault-namespace': NAMESPACE };
    await fetch(`${vault.url}/v1/transit/keys/portico-nothing`, { headers });
    assertContractError(vault.exchanges.at(-1), 'unknownKeyRead');

    const missing: StoredSigningKey = { kid: 'k', alg: 'ES256', owner: OWNER, reference: { type: 'vault', key: 'portico-nothing', version: 1 } };
    assert.match((await rejection(manager.sign(missing, Buffer.from('x')))).message, /sign\/portico-nothing\/sha2-256: Vault answered 400: signing key not found/);
    assertContractError(vault.exchanges.at(-1), 'unknownKeySign');

    const { stored } = await createStored(manager, 'ES256');
    const name = (stored.reference as { key: string }).key;
    await fetch(`${vault.url}/v1/transit/sign/${name}/sha2-256`, { method: 'POST', headers, body: JSON.stringify({ input: 'eA==', marshaling_algorithm: 'der' }) });
    assertContractError(vault.exchanges.at(-1), 'badMarshaling');
  });

  it('an unreachable Vault fails within the timeout with a clear error: a refused connection, or a server that never answers', async () => {
    const closed = new VaultTransitKeyManager({ url: `http://127.0.0.1:${await freePort()}`, token: TOKEN, timeoutMs: 500 });
    try {
      assert.match((await rejection(closed.createSigningKey('ES256', OWNER))).message, /Vault at http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)/);
    } finally {
      await closed.close();
    }

    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const hanging = new VaultTransitKeyManager({ url: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, token: TOKEN, timeoutMs: 300 });
    try {
      const stored: StoredSigningKey = { kid: 'k', alg: 'PS256', owner: OWNER, reference: { type: 'vault', key: 'portico-k', version: 1 } };
      for (const call of [() => hanging.createSigningKey('PS256', OWNER), () => hanging.sign(stored, Buffer.from('x'))]) {
        const started = performance.now();
        const error = await rejection(call());
        const elapsed = performance.now() - started;
        assert.match(error.message, /did not answer within 300 ms/);
        assert.ok(!error.message.includes(TOKEN));
        assert.ok(elapsed < 1_000, `failed after ${Math.round(elapsed)} ms`);
      }
    } finally {
      await hanging.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a sealed (restarting) Vault: a signature is asked once more, a key creation never', async () => {
    const { stored, publicJwk } = await createStored(manager, 'ES256');
    let mark = vault.exchanges.length;
    vault.sealFor(1);
    const signature = await manager.sign(stored, Buffer.from('a.b'));
    assert.ok(verify('sha256', Buffer.from('a.b'), { key: createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, signature));
    assert.deepEqual(vault.exchanges.slice(mark).map((exchange) => exchange.response.status), [503, 200]);
    assertContractError(vault.exchanges[mark], 'sealed');

    vault.sealFor(2);
    assert.match((await rejection(manager.sign(stored, Buffer.from('a.b')))).message, /answered 503: Vault is sealed/);

    mark = vault.exchanges.length;
    vault.sealFor(1);
    assert.match((await rejection(manager.createSigningKey('PS256', OWNER))).message, /keys\/portico-auth_signing_keys-[0-9a-f]+: Vault answered 503/);
    assert.equal(vault.exchanges.length - mark, 1, 'one creation request, not repeated');
  });

  it('a Vault before 1.14 answers 204 to a key creation: the key is read and used all the same', async () => {
    const older = await VaultTransitFake.start({ token: TOKEN, createStatus: 204 });
    const client = new VaultTransitKeyManager({ url: older.url, token: TOKEN, mount: '/transit/', timeoutMs: 2_000 });
    try {
      const { stored, publicJwk } = await createStored(client, 'PS256');
      const jws = await signCompactJws(signingKeysOver(client, [stored]), 'PS256', {}, Buffer.from('{}'));
      await compactVerify(jws, await importJWK(publicJwk, 'PS256'));
      assert.equal(older.exchanges[0]!.response.status, 204);
      assert.deepEqual(older.exchanges.flatMap((exchange) => contractProblems(exchange, older)), []);
      assert.equal(older.exchanges[0]!.request.namespace, undefined, 'no namespace header without a namespace');
    } finally {
      await client.close();
      await older.close();
    }
  });

  it('sends its token over https only (plain http to loopback alone), and owns only Vault key references', () => {
    assert.throws(() => new VaultTransitKeyManager({ url: 'http://vault.bank.internal:8200', token: TOKEN }), /https/);
    assert.doesNotThrow(() => void new VaultTransitKeyManager({ url: 'https://vault.bank.internal:8200', token: TOKEN }).close());
    assert.equal(manager.owns({ type: 'vault', key: 'portico-x-00', version: 1 }), true);
    for (const other of [{ type: 'vault', key: 'portico-x', version: 0 }, { type: 'pkcs11', key: 'x', version: 1 }, { kty: 'EC', d: 'x' }, 'portico-x', null]) {
      assert.equal(manager.owns(other), false, JSON.stringify(other));
    }
  });
});
