import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { transactionRangeOf } from '../../../src/standards/berlin-group/v1.3/accounts/xs2a-transaction-query.ts';

describe('XS2A transaction list period', () => {
  it('takes whole UTC days from dateFrom to dateTo', () => {
    const range = transactionRangeOf({ bookingStatus: 'booked', dateFrom: '2024-02-29', dateTo: '2024-03-01' });
    assert.deepEqual([range.from?.toISOString(), range.to?.toISOString(), range.status], ['2024-02-29T00:00:00.000Z', '2024-03-01T23:59:59.999Z', 'Booked']);
  });

  it('refuses a day the calendar does not have (PERIOD_INVALID naming the field) rather than listing from the day Date makes of it', () => {
    for (const [query, field] of [
      [{ dateFrom: '2026-02-30' }, 'dateFrom'],
      [{ dateFrom: '2026-01-01', dateTo: '2025-02-29' }, 'dateTo'],
      [{ dateFrom: '2026-13-01' }, 'dateFrom'],
    ] as const) {
      assert.throws(() => transactionRangeOf({ bookingStatus: 'both', ...query }), { code: 'XS2A.PERIOD_INVALID', message: `${field} is not a day of the calendar`, details: [{ path: field }] });
    }
    assert.throws(() => transactionRangeOf({ bookingStatus: 'both', dateFrom: '2026-03-02', dateTo: '2026-03-01' }), { code: 'XS2A.PERIOD_INVALID', message: 'dateFrom is after dateTo' });
  });
});
