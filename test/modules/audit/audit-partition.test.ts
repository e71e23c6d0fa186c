import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { partitionOf } from '../../../src/modules/audit/audit-chain.ts';

describe('audit partitions', () => {
  it('names the UTC day of each instant, in any order, across midnights and before 1970', () => {
    const instants = ['2026-12-04T23:59:59.999Z', '2026-12-05T00:00:00.000Z', '2026-12-04T12:00:00.000Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '2026-12-05T23:59:59.999Z', '2026-12-04T00:00:00.000Z'];
    assert.deepEqual(
      instants.map((instant) => partitionOf(new Date(instant))),
      ['2026-12-04', '2026-12-05', '2026-12-04', '1969-12-31', '1970-01-01', '2026-12-05', '2026-12-04'],
    );
  });

  it('refuses an invalid date, even right after a valid one', () => {
    partitionOf(new Date('2026-12-05T10:00:00Z'));
    assert.throws(() => partitionOf(new Date(Number.NaN)), RangeError);
  });
});
