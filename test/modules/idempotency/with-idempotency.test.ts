import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import {
  checkIdempotencyKey,
  deleteExpiredIdempotencyKeys,
  IdempotencyErrors,
  requestHash,
  withIdempotency,
  type IdempotencyClaim,
} from '../../../src/modules/idempotency/index.ts';
import { createDatabase, type DatabaseSchema, type Db } from '../../../src/platform/db/index.ts';
import { isAppError, type ErrorDefinition } from '../../../src/platform/errors/index.ts';
import { renderableFrom } from '../../../src/platform/http/error-handler.ts';
import { renderObErrorV4 } from '../../../src/standards/uk-obie/v4.0/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { assertMatchesSchema, obSchema } from '../../support/openapi.ts';

const HOUR_MS = 3600 * 1000;
const T0 = new Date('2026-05-04T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const failsWith = (definition: ErrorDefinition) => (error: unknown) => isAppError(error) && error.definition === definition;

const BODY = { Data: { Initiation: { InstructionIdentification: 'ACME412', InstructedAmount: { Amount: '165.88', Currency: 'GBP' } } }, Risk: {} };
const OTHER_BODY = { Data: { Initiation: { InstructionIdentification: 'ACME412', InstructedAmount: { Amount: '1065.88', Currency: 'GBP' } } }, Risk: {} };

/** A scratch resource table standing in for consents or payments: what `create` writes in the claim's transaction. */
async function createResourceTable(db: Db): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS test_resources (id text PRIMARY KEY, client_id text NOT NULL, body jsonb NOT NULL)`.execute(db);
}

async function resourceCount(db: Db, clientId: string): Promise<number> {
  const { rows } = await sql<{ count: string | number | bigint }>`SELECT count(*) AS count FROM test_resources WHERE client_id = ${clientId}`.execute(db);
  return Number(rows[0]!.count);
}

async function keyCount(db: Db, clientId: string): Promise<number> {
  const row = await db.selectFrom('idempotency_keys').select((eb) => eb.fn.countAll().as('count')).where('client_id', '=', clientId).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A `create` that inserts one resource through the transaction and counts its calls. */
function resourceCreator(clientId: string, body: unknown) {
  const creator = {
    calls: 0,
    create: async (trx: Transaction<DatabaseSchema>) => {
      creator.calls += 1;
      const id = `res-${randomUUID()}`;
      await sql`INSERT INTO test_resources (id, client_id, body) VALUES (${id}, ${clientId}, ${JSON.stringify(body)})`.execute(trx);
      return id;
    },
  };
  return creator;
}

const claimFor = (clientId: string, key: string, body: unknown, operation = 'domestic-payment-consents'): IdempotencyClaim => ({
  clientId,
  operation,
  key,
  requestHash: requestHash(body),
});

describe('idempotency keys and request hashes', () => {
  it('accepts the keys the OB header schema allows (1 to 40 characters, no white space at either end)', () => {
    for (const key of ['k', 'a'.repeat(40), 'key with inner spaces', randomUUID(), '£€-unicode']) assert.equal(checkIdempotencyKey(key), key);
  });

  it('refuses a missing key with Header.Missing and a malformed one with Header.Invalid', () => {
    assert.throws(() => checkIdempotencyKey(undefined), failsWith(IdempotencyErrors.KEY_MISSING));
    for (const key of ['', 'a'.repeat(41), ' leading', 'trailing ', 'tab\t', 'line\nbreak', ' ']) {
      assert.throws(() => checkIdempotencyKey(key), failsWith(IdempotencyErrors.KEY_INVALID), JSON.stringify(key));
    }
    assert.throws(() => checkIdempotencyKey(['a', 'b']), failsWith(IdempotencyErrors.KEY_INVALID));
  });

  it('hashes the canonical JSON: member order and formatting do not count, values do', () => {
    const hash = requestHash(BODY);
    assert.match(hash, /^[A-Za-z0-9_-]{43}$/);
    const reordered = JSON.parse('{ "Risk": {}, "Data": { "Initiation": { "InstructedAmount": { "Currency": "GBP", "Amount": "165.88" }, "InstructionIdentification": "ACME412" } } }');
    assert.equal(requestHash(reordered), hash);
    assert.notEqual(requestHash(OTHER_BODY), hash);
    assert.notEqual(requestHash({ a: [1, 2] }), requestHash({ a: [2, 1] }), 'array order counts');
    assert.notEqual(requestHash({ a: '1' }), requestHash({ a: 1 }), 'types count');
    assert.equal(requestHash(JSON.parse('{"a":1.0,"b":"\\u00e9"}')), requestHash({ b: 'é', a: 1 }));
    assert.throws(() => requestHash(undefined), TypeError);
    assert.throws(() => requestHash({ a: Number.NaN }), TypeError);
  });

  it('hashes exactly the RFC 8785 canonical form (§3.2.2.3 numbers, §3.2.3 member order by UTF-16 code units)', () => {
    const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url');
    const numbers = JSON.parse('{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001]}');
    assert.equal(requestHash(numbers), sha256('{"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}'));
    const names = JSON.parse('{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}');
    const ordered = ['\\r', '1', '\\u0080', '\\u00f6', '\\u20ac', '\\ud83d\\ude00', '\\ufb33'].map((name) => JSON.parse(`"${name}"`) as string);
    assert.equal(requestHash(names), sha256(`{${ordered.map((name) => `${JSON.stringify(name)}:${JSON.stringify(names[name])}`).join(',')}}`));
  });
});

for (const dialect of DIALECTS) {
  describe(`withIdempotency (${dialect})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase(dialect);
      await createResourceTable(database.db);
    });
    after(async () => {
      await database?.close();
    });

    it('creates the resource once; the same key with the same body answers with the original resource', async () => {
      const clientId = `tpp-${randomUUID()}`;
      const creator = resourceCreator(clientId, BODY);
      const first = await withIdempotency(database.db, claimFor(clientId, 'key-1', BODY), creator.create, T0);
      assert.equal(first.created, true);
      assert.match(first.resourceId, /^res-/);
      const reordered = JSON.parse(JSON.stringify({ Risk: BODY.Risk, Data: BODY.Data }));
      const repeat = await withIdempotency(database.db, claimFor(clientId, 'key-1', reordered), creator.create, at(HOUR_MS));
      assert.deepEqual(repeat, { created: false, resourceId: first.resourceId });
      assert.equal(creator.calls, 1);
      assert.equal(await resourceCount(database.db, clientId), 1);
    });

    it('refuses the same key with a different body: 400 with an OB error body (attack: idempotency key reuse to alter a payment)', async () => {
      const clientId = `tpp-${randomUUID()}`;
      const creator = resourceCreator(clientId, BODY);
      await withIdempotency(database.db, claimFor(clientId, 'key-2', BODY), creator.create, T0);
      const error = await withIdempotency(database.db, claimFor(clientId, 'key-2', OTHER_BODY), creator.create, at(1000)).then(
        () => assert.fail('a different body was accepted'),
        (caught: unknown) => caught,
      );
      assert.ok(isAppError(error));
      assert.equal(error.definition, IdempotencyErrors.KEY_REUSED);
      assert.equal(error.status, 400);
      const rendered = renderObErrorV4(renderableFrom(error, 'interaction-1'));
      assertMatchesSchema(rendered.body, obSchema('payment-initiation', 'OBErrorResponse1'));
      assert.deepEqual((rendered.body as { Errors: unknown[] }).Errors, [{ ErrorCode: 'U006', Message: IdempotencyErrors.KEY_REUSED.message }]);
      assert.equal(creator.calls, 1);
      assert.equal(await resourceCount(database.db, clientId), 1);
    });

    it('scopes keys to the client and the operation', async () => {
      const [clientA, clientB] = [`tpp-${randomUUID()}`, `tpp-${randomUUID()}`];
      const a = await withIdempotency(database.db, claimFor(clientA, 'shared-key', BODY), resourceCreator(clientA, BODY).create, T0);
      // Another TPP using the same key (and body) gets its own resource, never the first TPP's.
      const b = await withIdempotency(database.db, claimFor(clientB, 'shared-key', BODY), resourceCreator(clientB, BODY).create, T0);
      const otherOperation = await withIdempotency(database.db, claimFor(clientA, 'shared-key', OTHER_BODY, 'domestic-payments'), resourceCreator(clientA, OTHER_BODY).create, T0);
      assert.equal(a.created && b.created && otherOperation.created, true);
      assert.equal(new Set([a.resourceId, b.resourceId, otherOperation.resourceId]).size, 3);
    });

    it('claims nothing when the creation fails, so a retry with the same key creates the resource', async () => {
      const clientId = `tpp-${randomUUID()}`;
      const failing = async (trx: Transaction<DatabaseSchema>) => {
        await sql`INSERT INTO test_resources (id, client_id, body) VALUES (${`res-${randomUUID()}`}, ${clientId}, '{}')`.execute(trx);
        throw new Error('core banking refused');
      };
      await assert.rejects(withIdempotency(database.db, claimFor(clientId, 'key-3', BODY), failing, T0), /core banking refused/);
      assert.equal(await keyCount(database.db, clientId), 0, 'the key claim rolled back with the creation');
      assert.equal(await resourceCount(database.db, clientId), 0, 'the creation rolled back with the key claim');
      // The retry may even correct the body: nothing was processed under the key.
      const retry = await withIdempotency(database.db, claimFor(clientId, 'key-3', OTHER_BODY), resourceCreator(clientId, OTHER_BODY).create, at(1000));
      assert.equal(retry.created, true);
      assert.equal(await resourceCount(database.db, clientId), 1);
    });

    it('refuses a malformed key before touching the database', async () => {
      const clientId = `tpp-${randomUUID()}`;
      const creator = resourceCreator(clientId, BODY);
      await assert.rejects(withIdempotency(database.db, claimFor(clientId, 'k'.repeat(41), BODY), creator.create, T0), failsWith(IdempotencyErrors.KEY_INVALID));
      await assert.rejects(withIdempotency(database.db, claimFor(clientId, '', BODY), creator.create, T0), failsWith(IdempotencyErrors.KEY_INVALID));
      assert.equal(creator.calls, 0);
      assert.equal(await keyCount(database.db, clientId), 0);
    });

    it('keeps a key 24 hours: until then a repeat is answered, from then on the key serves a new request', async () => {
      const clientId = `tpp-${randomUUID()}`;
      const creator = resourceCreator(clientId, BODY);
      const first = await withIdempotency(database.db, claimFor(clientId, 'key-4', BODY), creator.create, T0);
      const lastMoment = at(24 * HOUR_MS - 1);
      assert.deepEqual(await withIdempotency(database.db, claimFor(clientId, 'key-4', BODY), creator.create, lastMoment), { created: false, resourceId: first.resourceId });
      await assert.rejects(withIdempotency(database.db, claimFor(clientId, 'key-4', OTHER_BODY), creator.create, lastMoment), failsWith(IdempotencyErrors.KEY_REUSED));

      const expiry = at(24 * HOUR_MS);
      const reused = await withIdempotency(database.db, claimFor(clientId, 'key-4', OTHER_BODY), resourceCreator(clientId, OTHER_BODY).create, expiry);
      assert.equal(reused.created, true);
      assert.notEqual(reused.resourceId, first.resourceId);
      // The key now belongs to the new request, for another 24 hours.
      assert.deepEqual(await withIdempotency(database.db, claimFor(clientId, 'key-4', OTHER_BODY), creator.create, at(47 * HOUR_MS)), {
        created: false,
        resourceId: reused.resourceId,
      });
      await assert.rejects(withIdempotency(database.db, claimFor(clientId, 'key-4', BODY), creator.create, at(47 * HOUR_MS)), failsWith(IdempotencyErrors.KEY_REUSED));
      assert.equal(await resourceCount(database.db, clientId), 2);
    });

    it('the cleanup deletes exactly the keys past their 24 hours', async () => {
      const clientId = `tpp-${randomUUID()}`;
      const base = new Date('2030-01-01T00:00:00Z');
      const later = (hours: number) => new Date(base.getTime() + hours * HOUR_MS);
      for (const [key, createdAt] of [['old-1', later(0)], ['old-2', later(1)], ['fresh', later(2)]] as const) {
        await withIdempotency(database.db, claimFor(clientId, key, BODY), resourceCreator(clientId, BODY).create, createdAt);
      }
      // Other tests' keys (created in 2026) expired long before; count only this client's.
      await deleteExpiredIdempotencyKeys(database.db, later(24));
      assert.deepEqual(await keysOf(database.db, clientId), ['fresh', 'old-2']);
      assert.equal(await deleteExpiredIdempotencyKeys(database.db, later(25)), 1);
      assert.deepEqual(await keysOf(database.db, clientId), ['fresh']);
      assert.equal(await deleteExpiredIdempotencyKeys(database.db, later(25)), 0);
    });

    it('50 concurrent identical requests create exactly one resource and all answer with it', async () => {
      const clientId = `tpp-${randomUUID()}`;
      const creator = resourceCreator(clientId, BODY);
      const outcomes = await Promise.all(Array.from({ length: 50 }, () => withIdempotency(database.db, claimFor(clientId, 'burst', BODY), creator.create, T0)));
      assert.equal(creator.calls, 1);
      assert.equal(outcomes.filter((outcome) => outcome.created).length, 1);
      assert.equal(new Set(outcomes.map((outcome) => outcome.resourceId)).size, 1);
      assert.equal(await resourceCount(database.db, clientId), 1);
    });
  });
}

async function keysOf(db: Db, clientId: string): Promise<string[]> {
  const rows = await db.selectFrom('idempotency_keys').select('idempotency_key').where('client_id', '=', clientId).orderBy('idempotency_key').execute();
  return rows.map((row) => row.idempotency_key);
}

describe('withIdempotency under concurrency on PostgreSQL (several connections, two processes)', () => {
  let database: TestDatabase;
  let secondProcess: Db;
  before(async () => {
    database = await openTestDatabase('postgres', { poolSize: 8 });
    await createResourceTable(database.db);
    // A second pool on the same database: what another API instance of the platform is.
    const handle = await createDatabase({ url: database.url!, poolSize: 8 });
    secondProcess = handle.db;
  });
  after(async () => {
    await secondProcess?.destroy();
    await database?.close();
  });

  /** A creation that holds its transaction open a moment, so that the other requests really arrive during it. */
  function slowCreator(clientId: string) {
    const creator = resourceCreator(clientId, BODY);
    return {
      get calls() {
        return creator.calls;
      },
      create: async (trx: Transaction<DatabaseSchema>) => {
        await sql`SELECT pg_sleep(0.05)`.execute(trx);
        return creator.create(trx);
      },
    };
  }

  it('50 concurrent identical requests over two pools: exactly one creation, all 50 answer with the same resource id', async () => {
    const clientId = `tpp-${randomUUID()}`;
    const creator = slowCreator(clientId);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => withIdempotency(i % 2 === 0 ? database.db : secondProcess, claimFor(clientId, 'concurrent-key', BODY), creator.create, T0)),
    );
    assert.equal(creator.calls, 1, 'create ran once');
    assert.equal(outcomes.filter((outcome) => outcome.created).length, 1);
    assert.equal(new Set(outcomes.map((outcome) => outcome.resourceId)).size, 1, 'every request answers with the one resource');
    assert.equal(await resourceCount(database.db, clientId), 1, 'exactly one resource row');
    assert.equal(await keyCount(database.db, clientId), 1);
  });

  it('concurrent requests with one key and different bodies: one creates, every other one is refused', async () => {
    const clientId = `tpp-${randomUUID()}`;
    const creator = slowCreator(clientId);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        withIdempotency(i % 2 === 0 ? database.db : secondProcess, { ...claimFor(clientId, 'contested', BODY), requestHash: requestHash({ ...BODY, attempt: i }) }, creator.create, T0),
      ),
    );
    const created = results.filter((result) => result.status === 'fulfilled');
    assert.equal(created.length, 1);
    assert.equal(creator.calls, 1);
    for (const result of results) {
      if (result.status === 'rejected') assert.ok(failsWith(IdempotencyErrors.KEY_REUSED)(result.reason), String(result.reason));
    }
    assert.equal(await resourceCount(database.db, clientId), 1);
  });

  it('a creation that fails while others wait hands the key to one of them', async () => {
    const clientId = `tpp-${randomUUID()}`;
    let calls = 0;
    const failFirst = async (trx: Transaction<DatabaseSchema>) => {
      calls += 1;
      await sql`SELECT pg_sleep(0.05)`.execute(trx);
      if (calls === 1) throw new Error('first creation fails');
      const id = `res-${randomUUID()}`;
      await sql`INSERT INTO test_resources (id, client_id, body) VALUES (${id}, ${clientId}, '{}')`.execute(trx);
      return id;
    };
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => withIdempotency(database.db, claimFor(clientId, 'retry-key', BODY), failFirst, T0)));
    const rejected = results.filter((result) => result.status === 'rejected');
    const fulfilled = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    assert.equal(rejected.length, 1);
    assert.equal(calls, 2);
    assert.equal(fulfilled.filter((outcome) => outcome.created).length, 1);
    assert.equal(new Set(fulfilled.map((outcome) => outcome.resourceId)).size, 1);
    assert.equal(await resourceCount(database.db, clientId), 1);
  });
});
