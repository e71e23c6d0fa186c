import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chainBatch, chainEntries, checkpointPayload, genesisHash, partitionOf } from '../../../src/modules/audit/audit-chain.ts';
import type { AuditEntry } from '../../../src/modules/audit/index.ts';

const DAY = '2026-12-05';
const entries: AuditEntry[] = [1, 2, 3].map((n) => ({ at: new Date(`${DAY}T10:00:0${n}.000Z`), kind: 'api-call', action: 'GET /x', outcome: '200', details: { n } }));

describe('audit chain', () => {
  it('names the UTC day of each instant as its partition, in any order, across midnights and before 1970', () => {
    const instants = ['2026-12-04T23:59:59.999Z', '2026-12-05T00:00:00.000Z', '2026-12-04T12:00:00.000Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '2026-12-05T23:59:59.999Z', '2026-12-04T00:00:00.000Z'];
    assert.deepEqual(
      instants.map((instant) => partitionOf(new Date(instant))),
      ['2026-12-04', '2026-12-05', '2026-12-04', '1969-12-31', '1970-01-01', '2026-12-05', '2026-12-04'],
    );
  });

  it('refuses to name the partition of an invalid date, even right after a valid one', () => {
    partitionOf(new Date(`${DAY}T10:00:00Z`));
    assert.throws(() => partitionOf(new Date(Number.NaN)), RangeError);
  });

  it('a batch chains its records as they are read, as chainEntries does, and signs the checkpoint of the last', async () => {
    const signed: string[] = [];
    const batch = chainBatch(DAY, { seq: 0n, hash: '' }, entries, async (payload) => {
      signed.push(Buffer.from(payload).toString());
      return 'jws';
    });
    const records = [...batch.records];
    assert.deepEqual(records, chainEntries(DAY, { seq: 0n, hash: genesisHash(DAY) }, entries));
    const checkpoint = await batch.checkpoint();
    assert.deepEqual([checkpoint.partition, checkpoint.seq, checkpoint.hash, checkpoint.jws], [DAY, 3n, records[2]!.hash, 'jws']);
    assert.deepEqual(signed, [Buffer.from(checkpointPayload(checkpoint)).toString()]);
  });

  it('a batch refuses to sign a checkpoint before all its records were read', async () => {
    const batch = chainBatch(DAY, { seq: 7n, hash: 'f'.repeat(64) }, entries, async () => 'jws');
    const iterator = batch.records[Symbol.iterator]();
    assert.equal(iterator.next().value?.seq, 8n);
    await assert.rejects(batch.checkpoint(), /once all its records were read/);
  });
});
