import { describe, it, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { auditApiOver, auditReaderOver, createAuditModule, verifyAuditTrail, type AuditApi, type AuditEntry, type CheckpointSigner } from '../../../src/modules/audit/index.ts';
import { createKyselyAuditRepository } from '../../../src/modules/audit/infra/kysely-audit-repository.ts';
import { auditActivity } from '../../../src/modules/audit/search-audit-trail.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { silentLogger } from '../../support/silent-logger.ts';
import { testCheckpointSigner } from '../../support/audit-signer.ts';

const SETTINGS = { maxBuffered: 10_000, batchSize: 4, flushIntervalMs: 10_000, overflow: 'refuse' as const, retentionDays: 30 };
const DAY = '2026-12-04';

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: new Date(`${DAY}T10:00:${String(n % 60).padStart(2, '0')}.000Z`),
    kind: 'api-call',
    action: 'GET /open-banking/v4.0/aisp/accounts',
    outcome: '200',
    clientId: n % 2 === 0 ? 'client-even' : 'client-odd',
    consentId: `consent-${n % 3}`,
    psuId: n % 5 === 0 ? 'psu-5' : undefined,
    interactionId: `interaction-${n}`,
    details: { n, latencyMs: n / 10 },
    ...overrides,
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

for (const dialect of DIALECTS) {
  describe(`audit trail (${dialect})`, () => {
    let database: TestDatabase;
    let signer: CheckpointSigner;
    let audit: AuditApi;
    const verify = () => verifyAuditTrail(auditReaderOver(database.db), signer);
    /** Twelve records in three checkpointed batches of four. */
    const writeTwelve = async () => {
      await audit.recordDurably(Array.from({ length: 12 }, (_, i) => entry(i + 1)));
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      signer = await testCheckpointSigner();
    });
    after(() => database.close());
    beforeEach(async () => {
      await sql`TRUNCATE audit_records, audit_checkpoints, audit_partitions`.execute(database.db);
      audit = createAuditModule({ db: database.db, pgConnection: database.pgConnection, signer, settings: SETTINGS, logger: silentLogger });
      audit.start();
    });
    afterEach(() => audit.stop());

    it('chains records per day, checkpoints each batch, and verifies intact', async () => {
      await writeTwelve();
      const report = await audit.verify();
      assert.equal(report.ok, true);
      assert.deepEqual(report.partitions, [{ partition: DAY, status: 'intact', records: 12, checkpoints: 3 }]);
      const rows = await database.db.selectFrom('audit_records').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
      assert.deepEqual(rows.map((row) => Number(row.seq)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      assert.equal(rows[0]!.prev_hash, sha256(`portico-audit:${DAY}`));
      for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
    });

    it('searches by TPP, consent, PSU, interaction id and time, newest first, in pages', async () => {
      await writeTwelve();
      const byClient = await audit.search({ clientId: 'client-even' }, 100);
      assert.deepEqual(byClient.records.map((r) => JSON.parse(r.details).n), [12, 10, 8, 6, 4, 2]);
      assert.deepEqual((await audit.search({ consentId: 'consent-0' }, 100)).records.map((r) => JSON.parse(r.details).n), [12, 9, 6, 3]);
      assert.deepEqual((await audit.search({ psuId: 'psu-5' }, 100)).records.map((r) => JSON.parse(r.details).n), [10, 5]);
      assert.deepEqual((await audit.search({ interactionId: 'interaction-7' }, 100)).records.map((r) => r.seq), [7n]);
      const window = await audit.search({ from: new Date(`${DAY}T10:00:03Z`), to: new Date(`${DAY}T10:00:06Z`) }, 100);
      assert.deepEqual(window.records.map((r) => JSON.parse(r.details).n), [5, 4, 3]);
      const first = await audit.search({}, 5);
      assert.equal(first.records.length, 5);
      assert.ok(first.next);
      const second = await audit.search({}, 5, first.next);
      const third = await audit.search({}, 5, second.next);
      assert.equal(third.next, undefined);
      assert.deepEqual([...first.records, ...second.records, ...third.records].map((r) => JSON.parse(r.details).n), [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      await assert.rejects(audit.search({}, 5, 'not-a-cursor'), { code: 'AUDIT.CURSOR_INVALID' });
      await assert.rejects(audit.search({ from: new Date(`${DAY}T11:00:00Z`), to: new Date(`${DAY}T10:00:00Z`) }, 5), { code: 'AUDIT.QUERY_INVALID' });
    });

    it('verifies each day in a snapshot of its own: no transaction is held open across the whole trail', async () => {
      await audit.recordDurably([entry(1), entry(2), entry(3, { at: new Date('2026-12-05T09:00:00Z') }), entry(4, { at: new Date('2026-12-06T09:00:00Z') })]);
      const repository = createKyselyAuditRepository(database.db, database.pgConnection);
      // Which days each snapshot's reads touched.
      const snapshots: string[][] = [];
      const watched = auditApiOver(
        {
          ...repository,
          snapshot: (read) =>
            repository.snapshot((reader) => {
              const touched = new Set<string>();
              snapshots.push([]);
              const seen = (day: string) => touched.has(day) || (touched.add(day), snapshots.at(-1)!.push(day));
              return read({
                ...reader,
                partitions: (from, to) => (from !== undefined && from === to && seen(from), reader.partitions(from, to)),
                records: (day, afterSeq, limit) => (seen(day), reader.records(day, afterSeq, limit)),
                checkpoints: (day, afterSeq, uptoSeq) => (seen(day), reader.checkpoints(day, afterSeq, uptoSeq)),
              });
            }),
        },
        { signer, settings: SETTINGS, logger: silentLogger },
      );
      const report = await watched.verify();
      assert.deepEqual(report.partitions.map((p) => [p.partition, p.status, p.records]), [[DAY, 'intact', 2], ['2026-12-05', 'intact', 1], ['2026-12-06', 'intact', 1]]);
      // The listing's snapshot, then one per day that reads that day only.
      assert.deepEqual(snapshots, [[], [DAY], ['2026-12-05'], ['2026-12-06']]);
    });

    it('verifies only ranges of calendar days in order: 2026-02-30 is refused, not read as 2 March', async () => {
      await writeTwelve();
      for (const [range, message] of [
        [{ from: '2026-02-30' }, 'from must be a calendar day, YYYY-MM-DD (got "2026-02-30")'],
        [{ to: '2026-13-01' }, 'to must be a calendar day, YYYY-MM-DD (got "2026-13-01")'],
        [{ from: DAY, to: '2000-01-01' }, 'from must not be after to'],
      ] as const) {
        await assert.rejects(audit.verify(range), { code: 'AUDIT.QUERY_INVALID', message });
      }
      assert.deepEqual((await audit.verify({ from: DAY, to: DAY })).partitions.map((p) => [p.partition, p.status]), [[DAY, 'intact']]);
    });

    it('exports every match oldest first', async () => {
      await writeTwelve();
      const exported = [];
      for await (const record of audit.export({ clientId: 'client-odd' })) exported.push(JSON.parse(record.details).n);
      assert.deepEqual(exported, [1, 3, 5, 7, 9, 11]);
    });

    it('reads a window’s activity oldest first, in pages none of which is empty, without the chain’s hashes', async () => {
      await writeTwelve();
      const window = { from: entry(3).at!, to: entry(10).at! };
      const exported = [];
      for await (const record of audit.export(window)) exported.push(record);
      const { prevHash: _prevHash, hash: _hash, ...first } = exported[0]!;
      for (const pageSize of [1000, 3, 1]) {
        const read = [];
        const pages = [];
        for await (const page of auditActivity(createKyselyAuditRepository(database.db), window, pageSize)) {
          pages.push(page.length);
          read.push(...page);
        }
        assert.deepEqual(read.map((r) => JSON.parse(r.details).n), [3, 4, 5, 6, 7, 8, 9], `pages of ${pageSize}`);
        assert.deepEqual(pages, pageSize === 3 ? [3, 3, 1] : pageSize === 1 ? [1, 1, 1, 1, 1, 1, 1] : [7], `pages of ${pageSize}, none empty`);
        assert.deepEqual(read[0], first, 'the record as export reads it, but its hashes');
      }
      const viaApi = [];
      for await (const page of audit.activity(window)) viaApi.push(...page.map((record) => record.seq));
      assert.deepEqual(viaApi, [3n, 4n, 5n, 6n, 7n, 8n, 9n]);
      await assert.rejects(audit.activity({ from: window.to, to: window.from }).next(), { code: 'AUDIT.QUERY_INVALID' });
    });

    it('exports a page at a time, oldest first, each page naming the next', async () => {
      await writeTwelve();
      const first = await audit.exportPage({ clientId: 'client-odd' }, 4);
      const second = await audit.exportPage({ clientId: 'client-odd' }, 4, first.next);
      assert.deepEqual([first.records.map((r) => JSON.parse(r.details).n), second.records.map((r) => JSON.parse(r.details).n), second.next], [[1, 3, 5, 7], [9, 11], undefined]);
      await assert.rejects(audit.exportPage({}, 4, 'not-a-cursor'), { code: 'AUDIT.CURSOR_INVALID' });
      await assert.rejects(audit.exportPage({}, 1001), { code: 'AUDIT.QUERY_INVALID' });
    });

    it('keeps any text as given: quotes, commas, backslashes, tabs, line breaks, non-ASCII; an empty string apart from an absent value', async () => {
      const odd = entry(1, {
        at: new Date(`${DAY}T23:59:59.999Z`),
        action: 'GET /café/🏦/{Id}',
        clientId: '"quoted", comma \\N \\back\\slash\ttab\r\nline',
        organisationId: undefined,
        psuId: '',
        interactionId: 'éè 中文',
        details: { note: 'a "b",\n\\c\t', nested: { text: '\u0001' } },
      });
      await audit.recordDurably([odd, entry(2)]);
      const [record] = (await audit.search({ interactionId: odd.interactionId }, 10)).records;
      assert.ok(record);
      assert.deepEqual(
        [record.at.toISOString(), record.action, record.clientId, record.organisationId, record.psuId, record.interactionId, JSON.parse(record.details)],
        [odd.at.toISOString(), odd.action, odd.clientId, null, '', odd.interactionId, odd.details],
      );
      assert.equal((await audit.verify()).ok, true);
    });

    it('stores text PostgreSQL cannot hold (NUL, a lone surrogate) as U+FFFD, and the batch and the chain carry on', async () => {
      const poisoned = entry(1, { action: 'GET /a\u0000b', clientId: 'client\ud800', consentId: '\udc00x\u0000', interactionId: 'poison' });
      await audit.recordDurably([poisoned, entry(2)]);
      const [record] = (await audit.search({ interactionId: 'poison' }, 10)).records;
      assert.ok(record);
      assert.deepEqual([record.action, record.clientId, record.consentId], ['GET /a\ufffdb', 'client\ufffd', '\ufffdx\ufffd']);
      assert.equal((await audit.search({ interactionId: 'interaction-2' }, 10)).records.length, 1);
      assert.equal((await audit.verify()).ok, true);
    });

    describe('tampering in the database is detected, and named', () => {
      const tampered = async (...statements: Array<ReturnType<typeof sql>>) => {
        await writeTwelve();
        for (const statement of statements) await statement.execute(database.db);
        const report = await verify();
        assert.equal(report.ok, false);
        return report.firstBreak!;
      };

      it('a modified record', async () => {
        const found = await tampered(sql`UPDATE audit_records SET outcome = '403' WHERE seq = 6`);
        assert.deepEqual({ kind: found.kind, seq: found.seq }, { kind: 'modified', seq: 6n });
      });
      it('a deleted record', async () => {
        const found = await tampered(sql`DELETE FROM audit_records WHERE seq = 6`);
        assert.deepEqual({ kind: found.kind, seq: found.seq }, { kind: 'deleted', seq: 6n });
      });
      it('a deleted record with the seqs renumbered to hide the gap', async () => {
        const found = await tampered(sql`DELETE FROM audit_records WHERE seq = 6`, sql`UPDATE audit_records SET seq = -(seq - 1) WHERE seq > 6`, sql`UPDATE audit_records SET seq = -seq WHERE seq < 0`);
        assert.deepEqual({ kind: found.kind, seq: found.seq }, { kind: 'deleted', seq: 6n });
      });
      it('an inserted record whose hash was copied: it does not hash to it', async () => {
        const found = await tampered(sql`UPDATE audit_records SET seq = -seq WHERE seq >= 6`,
          sql`UPDATE audit_records SET seq = -seq + 1 WHERE seq < 0`,
          sql`INSERT INTO audit_records SELECT partition, 6, at, kind, action, '299', client_id, organisation_id, consent_id, psu_id, interaction_id, details, prev_hash, hash FROM audit_records WHERE seq = 5`);
        assert.equal(found.kind, 'modified');
        assert.equal(found.seq, 6n);
      });
      it('a record inserted as an exact copy of its predecessor', async () => {
        const found = await tampered(sql`UPDATE audit_records SET seq = -seq WHERE seq >= 6`,
          sql`UPDATE audit_records SET seq = -seq + 1 WHERE seq < 0`,
          sql`INSERT INTO audit_records SELECT partition, 6, at, kind, action, outcome, client_id, organisation_id, consent_id, psu_id, interaction_id, details, prev_hash, hash FROM audit_records WHERE seq = 5`);
        assert.deepEqual({ kind: found.kind, seq: found.seq }, { kind: 'inserted', seq: 5n });
      });
      it('two records swapped', async () => {
        const found = await tampered(sql`UPDATE audit_records SET seq = -seq WHERE seq IN (6, 7)`, sql`UPDATE audit_records SET seq = CASE seq WHEN -6 THEN 7 ELSE 6 END WHERE seq < 0`);
        assert.deepEqual({ kind: found.kind, seq: found.seq }, { kind: 'reordered', seq: 6n });
      });
      it('a truncated tail', async () => {
        const found = await tampered(sql`DELETE FROM audit_records WHERE seq > 10`);
        assert.deepEqual({ kind: found.kind, seq: found.seq }, { kind: 'truncated', seq: 11n });
      });
      it('a forged record appended at the end, correctly chained', async () => {
        await writeTwelve();
        const last = await database.db.selectFrom('audit_records').selectAll().where('seq', '=', 12n).executeTakeFirstOrThrow();
        const { chainEntries } = await import('../../../src/modules/audit/audit-chain.ts');
        const [forged] = chainEntries(DAY, { seq: 12n, hash: last.hash }, [entry(13)]);
        await sql`INSERT INTO audit_records VALUES (${forged!.partition}, 13, ${forged!.at.toISOString()}, ${forged!.kind}, ${forged!.action}, ${forged!.outcome}, ${forged!.clientId}, null, ${forged!.consentId}, ${forged!.psuId}, ${forged!.interactionId}, ${forged!.details}, ${forged!.prevHash}, ${forged!.hash})`.execute(database.db);
        const report = await verify();
        assert.deepEqual({ ok: report.ok, kind: report.firstBreak?.kind, seq: report.firstBreak?.seq }, { ok: false, kind: 'unattested', seq: 13n });
      });
      it('a chain recomputed after a change: the checkpoint no longer matches', async () => {
        await writeTwelve();
        const { recordHash } = await import('../../../src/modules/audit/audit-chain.ts');
        await sql`UPDATE audit_records SET outcome = '500' WHERE seq = 2`.execute(database.db);
        const rows = await auditReaderOver(database.db).records(DAY, 0n, 100);
        let prev = rows[0]!.hash;
        for (const row of rows.slice(1)) {
          const hash = recordHash({ ...row, prevHash: prev });
          await sql`UPDATE audit_records SET prev_hash = ${prev}, hash = ${hash} WHERE seq = ${row.seq.toString()}::bigint`.execute(database.db);
          prev = hash;
        }
        const report = await verify();
        assert.deepEqual({ ok: report.ok, kind: report.firstBreak?.kind, seq: report.firstBreak?.seq }, { ok: false, kind: 'checkpoint', seq: 4n });
      });
      it('a checkpoint signed by another key', async () => {
        await writeTwelve();
        const forger = await testCheckpointSigner();
        const checkpoint = await database.db.selectFrom('audit_checkpoints').selectAll().where('seq', '=', 8n).executeTakeFirstOrThrow();
        const payload = Buffer.from(checkpoint.jws.split('.')[1]!, 'base64url');
        await sql`UPDATE audit_checkpoints SET jws = ${await forger.sign(payload)} WHERE seq = 8`.execute(database.db);
        const report = await verify();
        assert.deepEqual({ ok: report.ok, kind: report.firstBreak?.kind, seq: report.firstBreak?.seq }, { ok: false, kind: 'checkpoint', seq: 8n });
      });
      it('a partition deleted but for its records', async () => {
        const found = await tampered(sql`DELETE FROM audit_partitions`);
        assert.equal(found.kind, 'partition');
      });
    });

    it('retention deletes a past partition’s records and keeps its last checkpoint, which still verifies', async () => {
      await writeTwelve();
      const expired = await audit.expire(new Date('2027-02-01T00:00:00Z'));
      assert.deepEqual(expired, [DAY]);
      assert.equal((await database.db.selectFrom('audit_records').select('seq').execute()).length, 0);
      assert.deepEqual((await database.db.selectFrom('audit_checkpoints').select('seq').execute()).map((row) => Number(row.seq)), [12]);
      const report = await audit.verify();
      assert.deepEqual(report, { ok: true, partitions: [{ partition: DAY, status: 'expired', records: 0, checkpoints: 1 }], firstBreak: undefined });
      await sql`DELETE FROM audit_checkpoints`.execute(database.db);
      assert.equal((await audit.verify()).firstBreak?.kind, 'partition');
    });

    it('holds records while the database fails and writes them once it is back; the buffer’s limit is the policy’s', async () => {
      const repository = createKyselyAuditRepository(database.db);
      let failures = 2;
      const dropped: number[] = [];
      const flaky = { ...repository, append: async (...args: Parameters<typeof repository.append>) => (failures-- > 0 ? Promise.reject(new Error('database down')) : repository.append(...args)) };
      const refusing = auditApiOver(flaky, { signer, settings: { ...SETTINGS, maxBuffered: 1000, batchSize: 100 }, logger: silentLogger, observer: { written: () => undefined, dropped: (n) => dropped.push(n), failed: () => undefined } });
      for (let n = 1; n <= 1000; n++) assert.equal(refusing.record(entry(n)), true);
      assert.equal(refusing.hasRoom(), false, 'a full buffer refuses new calls under AUDIT_OVERFLOW=refuse');
      assert.equal(refusing.record(entry(1001)), false);
      assert.deepEqual(dropped, [1]);
      await refusing.flush();
      assert.equal(refusing.buffered(), 1000, 'nothing taken off while the writes fail');
      await refusing.flush();
      await refusing.flush();
      assert.equal(refusing.buffered(), 0);
      assert.equal(refusing.hasRoom(), true);
      const report = await audit.verify();
      assert.deepEqual(report.partitions.map((p) => [p.status, p.records]), [['intact', 1000]]);
      const dropping = auditApiOver(repository, { signer, settings: { ...SETTINGS, maxBuffered: 1000, overflow: 'drop' }, logger: silentLogger });
      for (let n = 1; n <= 1000; n++) dropping.record(entry(n));
      assert.equal(dropping.hasRoom(), true, 'under AUDIT_OVERFLOW=drop calls are served');
    });

    it('a batch across midnight whose second day fails to write: the first day’s records are taken off, the second’s stay first in line', async () => {
      const NEXT_DAY = '2026-12-05';
      const repository = createKyselyAuditRepository(database.db);
      let failNextDay = true;
      const flaky = {
        ...repository,
        append: async (...args: Parameters<typeof repository.append>) => {
          if (args[0] === NEXT_DAY && failNextDay) {
            failNextDay = false;
            throw new Error('database down');
          }
          return repository.append(...args);
        },
      };
      const writer = auditApiOver(flaky, { signer, settings: { ...SETTINGS, batchSize: 100 }, logger: silentLogger });
      const onNextDay = (n: number) => entry(n, { at: new Date(`${NEXT_DAY}T00:00:0${n}.000Z`) });
      for (const n of [1, 2, 3, 4, 5, 6]) writer.record(n % 2 === 1 ? entry(n) : onNextDay(n));
      await writer.flush();
      assert.equal(writer.buffered(), 3, 'the next day’s three records are held');
      writer.record(onNextDay(8));
      await writer.flush();
      assert.equal(writer.buffered(), 0);
      const report = await audit.verify();
      assert.deepEqual(report.partitions.map((p) => [p.partition, p.status, p.records]), [[DAY, 'intact', 3], [NEXT_DAY, 'intact', 4]]);
      const nextDay = await database.db.selectFrom('audit_records').select('details').where('partition', '=', NEXT_DAY).orderBy('seq').execute();
      assert.deepEqual(nextDay.map((row) => JSON.parse(row.details).n), [2, 4, 6, 8]);
    });

    if (dialect === 'postgres') {
      it('two instances writing one day at once keep one chain', async () => {
        const other = createAuditModule({ db: database.db, pgConnection: database.pgConnection, signer, settings: { ...SETTINGS, batchSize: 7 }, logger: silentLogger });
        other.start();
        await Promise.all([
          audit.recordDurably(Array.from({ length: 200 }, (_, i) => entry(i))),
          other.recordDurably(Array.from({ length: 200 }, (_, i) => entry(1000 + i))),
        ]);
        const report = await audit.verify();
        assert.equal(report.ok, true, JSON.stringify(report.firstBreak, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
        assert.equal(report.partitions[0]!.records, 400);
        await other.stop();
      });
    }
  });
}
