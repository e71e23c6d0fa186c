import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { auditReaderOver, createAuditModule, verifyAuditTrail, type AuditEntry, type AuditVerification, type CheckpointSigner } from '../../../src/modules/audit/index.ts';
import { chainEntries } from '../../../src/modules/audit/audit-chain.ts';
import type { Db } from '../../../src/platform/db/index.ts';
import { openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { silentLogger } from '../../support/silent-logger.ts';
import { testCheckpointSigner } from '../../support/audit-signer.ts';

const DAY = '2026-12-03';
const RECORDS = 24;
const COLUMNS = ['at', 'kind', 'action', 'outcome', 'client_id', 'organisation_id', 'consent_id', 'psu_id', 'interaction_id', 'details', 'prev_hash', 'hash'] as const;

/** One tampering with the stored trail, as an insider with write access to the database could do it. */
type Tampering =
  | { readonly kind: 'update'; readonly seq: number; readonly column: (typeof COLUMNS)[number] }
  | { readonly kind: 'delete'; readonly seqs: readonly number[] }
  | { readonly kind: 'insert'; readonly at: number; readonly copyOf: number; readonly outcome: string }
  | { readonly kind: 'append'; readonly outcome: string }
  | { readonly kind: 'reorder'; readonly a: number; readonly b: number }
  | { readonly kind: 'truncate'; readonly keep: number };

const seq = fc.integer({ min: 1, max: RECORDS });
const tampering: fc.Arbitrary<Tampering> = fc.oneof(
  fc.record({ kind: fc.constant('update' as const), seq, column: fc.constantFrom(...COLUMNS) }),
  fc.record({ kind: fc.constant('delete' as const), seqs: fc.uniqueArray(seq, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: seq, copyOf: seq, outcome: fc.constantFrom('200', '403', '500', 'copy') }),
  fc.record({ kind: fc.constant('append' as const), outcome: fc.constantFrom('200', '403') }),
  fc.record({ kind: fc.constant('reorder' as const), a: seq, b: seq }).filter((t) => t.a !== t.b),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.integer({ min: 0, max: RECORDS - 1 }) }),
);

/** A different value of the same type for the column. */
function changed(column: (typeof COLUMNS)[number]) {
  if (column === 'at') return sql`at + interval '1 millisecond'`;
  if (column === 'prev_hash' || column === 'hash') return sql`overlay(${sql.ref(column)} placing (CASE WHEN substr(${sql.ref(column)}, 7, 1) = '0' THEN '1' ELSE '0' END) from 7 for 1)`;
  if (column === 'details') return sql`'{"n":-1}'`;
  return sql`coalesce(${sql.ref(column)}, '') || 'x'`;
}

async function tamper(trx: Kysely<never>, t: Tampering): Promise<void> {
  const where = sql`partition = ${DAY}`;
  switch (t.kind) {
    case 'update':
      await sql`UPDATE audit_records SET ${sql.ref(t.column)} = ${changed(t.column)} WHERE ${where} AND seq = ${t.seq}`.execute(trx);
      return;
    case 'delete':
      await sql`DELETE FROM audit_records WHERE ${where} AND seq = ANY(${t.seqs}::bigint[])`.execute(trx);
      return;
    case 'insert':
      // Make room at `at` (seqs from it move up one), then put a record there: a copy of another, possibly changed.
      await sql`UPDATE audit_records SET seq = -seq WHERE ${where} AND seq >= ${t.at}`.execute(trx);
      await sql`UPDATE audit_records SET seq = -seq + 1 WHERE ${where} AND seq < 0`.execute(trx);
      await sql`
        INSERT INTO audit_records SELECT partition, ${t.at}::bigint, at, kind, action, ${t.outcome === 'copy' ? sql`outcome` : sql`${t.outcome}::text`}, client_id, organisation_id, consent_id, psu_id, interaction_id, details, prev_hash, hash
        FROM audit_records WHERE ${where} AND seq = ${t.copyOf >= t.at ? t.copyOf + 1 : t.copyOf}`.execute(trx);
      return;
    case 'append': {
      // A record added at the end, chained correctly (the hash is no secret): only the checkpoints tell.
      const last = await sql<{ hash: string }>`SELECT hash FROM audit_records WHERE ${where} ORDER BY seq DESC LIMIT 1`.execute(trx);
      const [r] = chainEntries(DAY, { seq: BigInt(RECORDS), hash: last.rows[0]!.hash }, [{ at: new Date(`${DAY}T23:00:00Z`), kind: 'api-call', action: 'GET /x', outcome: t.outcome }]);
      await sql`INSERT INTO audit_records VALUES (${DAY}, ${RECORDS + 1}, ${r!.at.toISOString()}, ${r!.kind}, ${r!.action}, ${r!.outcome}, null, null, null, null, null, ${r!.details}, ${r!.prevHash}, ${r!.hash})`.execute(trx);
      return;
    }
    case 'reorder':
      await sql`UPDATE audit_records SET seq = -seq WHERE ${where} AND seq IN (${t.a}, ${t.b})`.execute(trx);
      await sql`UPDATE audit_records SET seq = CASE seq WHEN ${-t.a}::bigint THEN ${t.b}::bigint ELSE ${t.a}::bigint END WHERE ${where} AND seq < 0`.execute(trx);
      return;
    case 'truncate':
      await sql`DELETE FROM audit_records WHERE ${where} AND seq > ${t.keep}`.execute(trx);
      return;
  }
}

class Rollback extends Error {}

/**
 * Tampering with the audit rows in PostgreSQL — update any column, delete, insert, append a
 * correctly chained record, reorder, truncate a tail — is detected every time: 10,000 random
 * trials, each in a transaction verified and rolled back.
 */
describe('audit trail tampering (property, PostgreSQL)', () => {
  let database: TestDatabase;
  let signer: CheckpointSigner;

  before(async () => {
    database = await openTestDatabase('postgres');
    signer = await testCheckpointSigner();
    const audit = createAuditModule({ db: database.db, signer, settings: { maxBuffered: 1000, batchSize: 5, flushIntervalMs: 10_000, overflow: 'refuse', retentionDays: 30 }, logger: silentLogger });
    audit.start();
    const entries: AuditEntry[] = Array.from({ length: RECORDS }, (_, i) => ({
      at: new Date(`${DAY}T10:00:${String(i).padStart(2, '0')}Z`),
      kind: i % 3 === 0 ? 'consent' : 'api-call',
      action: `action-${i}`,
      outcome: String(200 + i),
      clientId: `client-${i % 2}`,
      consentId: i % 4 === 0 ? undefined : `consent-${i % 5}`,
      psuId: i % 2 ? `psu-${i}` : undefined,
      interactionId: `interaction-${i}`,
      details: { i },
    }));
    await audit.recordDurably(entries);
    await audit.stop();
    const intact = await verifyAuditTrail(auditReaderOver(database.db), signer);
    assert.deepEqual(intact.partitions, [{ partition: DAY, status: 'intact', records: RECORDS, checkpoints: 5 }]);
  });
  after(() => database.close());

  it('detects every one of 10,000 random tamperings', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(tampering, async (t) => {
        let report: AuditVerification | undefined;
        await (database.db as Db)
          .transaction()
          .execute(async (trx) => {
            await tamper(trx as never, t);
            report = await verifyAuditTrail(auditReaderOver(trx as unknown as Db), signer);
            throw new Rollback();
          })
          .catch((error: unknown) => {
            if (!(error instanceof Rollback)) throw error;
          });
        assert.equal(report?.ok, false, `undetected: ${JSON.stringify(t)}`);
        seen.set(report!.firstBreak!.kind, (seen.get(report!.firstBreak!.kind) ?? 0) + 1);
      }),
      { numRuns: 10_000 },
    );
    // Every kind of break these tamperings can make was met along the way (a recomputed chain, which breaks a checkpoint, is audit-trail.test.ts's).
    for (const kind of ['modified', 'deleted', 'inserted', 'reordered', 'truncated', 'unattested']) assert.ok(seen.has(kind), `${kind} never found: ${JSON.stringify([...seen])}`);
  });
});
