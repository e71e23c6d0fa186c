import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { porticoMigrations } from '../../src/app/portico-migrations.ts';
import { assembleMigrations, assertSchemaCurrent, migrateToLatest } from '../../src/platform/db/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';

/**
 * What `kysely_migration` records, in order, on a database migrated before each owner of tables
 * declared its own migrations (all of them were then listed in src/platform/db/migrations): read
 * from a PostgreSQL database migrated at that version. Databases in service record these names, so
 * the assembled list must keep every one of them, in this order.
 */
const RECORDED_BEFORE_OWNERS_DECLARED_MIGRATIONS = [
  '0001-outbox',
  '0002-core-bank',
  '0003-psu-identity',
  '0004-directory',
  '0005-auth',
  '0006-consents',
  '0007-psu-interactions',
  '0008-psu-passkeys',
  '0009-ais-account-refs',
  '0010-idempotency-keys',
  '0011-scheduled-jobs',
  '0012-payments',
  '0014-domestic-vrps',
  '0015-standing-orders',
  '0016-payment-exchange-rates',
  '0017-international-schedules',
  '0018-file-payments',
  '0019-standing-order-amounts',
  '0021-housekeeping-indexes',
  '0022-event-contract',
  '0023-processed-events',
  '0024-payment-execution-saga',
  '0027-neutral-ledger-schemes',
  '0028-neutral-consent-statuses',
  '0029-consent-access-scopes',
  '0030-neutral-payment-statuses',
  '0031-neutral-standing-order-statuses',
  '0032-ob-wire-bodies',
  '0033-drop-module-request-bodies',
  '0034-account-read-model',
];

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Every migration file under src/: `NNNN-name.ts` in a `migrations/` folder. */
function migrationFiles(dir: string = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return migrationFiles(full);
    return path.basename(dir) === 'migrations' && /^\d{4}-.+\.ts$/.test(entry.name) ? [full] : [];
  });
}

const noop: Migration = { up: async () => undefined };

describe('the assembled migrations', () => {
  // A later migration may follow them; none may come between them (the migrator refuses a database
  // whose recorded migrations are not the first of its list).
  it('begin, name for name and in order, with those a database migrated before records', () => {
    assert.deepEqual(Object.keys(porticoMigrations).slice(0, RECORDED_BEFORE_OWNERS_DECLARED_MIGRATIONS.length), RECORDED_BEFORE_OWNERS_DECLARED_MIGRATIONS);
  });

  it('have unique names, sorted as the migrator applies them', () => {
    const names = Object.keys(porticoMigrations);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names, [...names].sort());
  });

  it('list every migration file of every owner, each under its file name', async () => {
    const files = migrationFiles();
    assert.deepEqual(files.map((file) => path.basename(file, '.ts')).sort(), Object.keys(porticoMigrations));
    for (const file of files) {
      const declared = (await import(pathToFileURL(file).href)) as Migration;
      assert.equal(porticoMigrations[path.basename(file, '.ts')]?.up, declared.up, path.relative(SRC, file));
    }
  });

  it('refuse a name two owners declare, and sort what the owners give', () => {
    assert.throws(() => assembleMigrations({ '0002-b': noop }, { '0002-b': noop }), /migration 0002-b is declared twice/);
    assert.deepEqual(Object.keys(assembleMigrations({ '0003-c': noop, '0001-a': noop }, { '0002-b': noop })), ['0001-a', '0002-b', '0003-c']);
  });
});

for (const dialect of DIALECTS) {
  describe(`a database migrated with the assembled migrations (${dialect})`, () => {
    let db: TestDatabase;
    let raw: Kysely<unknown>;
    before(async () => {
      db = await openTestDatabase(dialect);
      raw = db.db as unknown as Kysely<unknown>;
    });
    after(async () => {
      await db?.close();
    });

    it('records the names a database migrated before records, in the same order, and is then current', async () => {
      const recorded = (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY timestamp, name`.execute(raw)).rows.map((row) => row.name);
      assert.deepEqual(recorded, Object.keys(porticoMigrations));
      assert.deepEqual(recorded.slice(0, RECORDED_BEFORE_OWNERS_DECLARED_MIGRATIONS.length), RECORDED_BEFORE_OWNERS_DECLARED_MIGRATIONS);
      await assertSchemaCurrent(raw, porticoMigrations);
      assert.deepEqual(await migrateToLatest(raw, porticoMigrations), { applied: [] });
    });
  });
}
