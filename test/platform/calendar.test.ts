import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths } from 'date-fns';
import { clampedMonthDay, plainDate, rfcWeekday, RRule, UTC } from '../../src/platform/calendar/index.ts';

const monthly = (day: number, from: string, count: number): string[] =>
  new RRule({ freq: RRule.MONTHLY, dtstart: new Date(from), ...clampedMonthDay(day) }).all((_, i) => i < count).map((d) => d.toISOString());

describe('platform calendar', () => {
  it('a day past a month\'s end falls on its last day (RFC 5545 would skip the month)', () => {
    assert.deepEqual(monthly(31, '2028-01-01T09:00:00Z', 4), ['2028-01-31T09:00:00.000Z', '2028-02-29T09:00:00.000Z', '2028-03-31T09:00:00.000Z', '2028-04-30T09:00:00.000Z']);
    assert.deepEqual(monthly(30, '2027-02-01T09:00:00Z', 2), ['2027-02-28T09:00:00.000Z', '2027-03-30T09:00:00.000Z']);
  });

  it('days up to the 28th and days counted back from the end are plain BYMONTHDAY', () => {
    assert.deepEqual(monthly(15, '2027-02-16T00:00:00Z', 2), ['2027-03-15T00:00:00.000Z', '2027-04-15T00:00:00.000Z']);
    assert.deepEqual(monthly(-2, '2027-02-01T00:00:00Z', 2), ['2027-02-27T00:00:00.000Z', '2027-03-30T00:00:00.000Z']);
  });

  it('ISO weekday numbers name RFC 5545 weekdays, Monday first', () => {
    assert.equal(rfcWeekday(1).toString(), 'MO');
    assert.equal(rfcWeekday(7).toString(), 'SU');
    assert.throws(() => rfcWeekday(0));
    assert.throws(() => rfcWeekday(8));
  });

  it('date-fns under UTC reads calendar fields in UTC and plainDate hands back a Date', () => {
    // 23:30 UTC on 31 January is already 1 February east of Greenwich: the UTC month decides.
    const next = plainDate(addMonths(new Date('2027-01-31T23:30:00Z'), 1, UTC));
    assert.equal(Object.getPrototypeOf(next), Date.prototype);
    assert.equal(next.toISOString(), '2027-02-28T23:30:00.000Z');
  });
});
