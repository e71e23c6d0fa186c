import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths } from 'date-fns';
import { clampedMonthDay, isCalendarDay, parseInstant, plainDate, rfcWeekday, RRule, UTC, utcDayOf } from '../../src/platform/calendar/index.ts';

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
  it('the day of an instant is its UTC day, whatever the offset it was written with', () => {
    assert.equal(utcDayOf(new Date('2026-12-31T23:30:00-05:00')), '2027-01-01');
    assert.equal(utcDayOf(new Date('2027-01-01T00:30:00+01:00')), '2026-12-31');
    assert.equal(utcDayOf(Date.UTC(2028, 1, 29, 23, 59, 59, 999)), '2028-02-29');
  });

  it('a calendar day is one the calendar has: not 2026-02-30 (Date.parse reads it as 2 March), not 2025-02-29, not month 13', () => {
    const days = ['2026-12-06', '2024-02-29', '2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-12-6', ' 2026-12-06', '2026-12-06T00:00:00Z'];
    assert.deepEqual(
      days.map((day) => [day, isCalendarDay(day)]),
      [['2026-12-06', true], ['2024-02-29', true], ['2026-02-30', false], ['2025-02-29', false], ['2026-13-01', false], ['2026-00-10', false], ['2026-12-6', false], [' 2026-12-06', false], ['2026-12-06T00:00:00Z', false]],
    );
  });

  it('an instant is an RFC 3339 time with its offset, or a calendar day at its UTC start; anything new Date would guess at is refused', () => {
    const texts = ['2026-12-06', '2026-12-06T10:00:00Z', '2026-12-06T10:00Z', '2026-12-06t10:00:00.5z', '2026-12-06T10:00:00.123456789+01:00', '2026-12-06T10:00:00', '2026-12-06 10:00Z', '2026-12-06T24:00:00Z', '2026-02-30T10:00:00Z', '2026-02-30', 'yesterday', 'Sun Dec 06 2026'];
    assert.deepEqual(
      texts.map((text) => [text, parseInstant(text)?.toISOString()]),
      [
        ['2026-12-06', '2026-12-06T00:00:00.000Z'],
        ['2026-12-06T10:00:00Z', '2026-12-06T10:00:00.000Z'],
        ['2026-12-06T10:00Z', '2026-12-06T10:00:00.000Z'],
        ['2026-12-06t10:00:00.5z', '2026-12-06T10:00:00.500Z'],
        ['2026-12-06T10:00:00.123456789+01:00', '2026-12-06T09:00:00.123Z'],
        ['2026-12-06T10:00:00', undefined],
        ['2026-12-06 10:00Z', undefined],
        ['2026-12-06T24:00:00Z', undefined],
        ['2026-02-30T10:00:00Z', undefined],
        ['2026-02-30', undefined],
        ['yesterday', undefined],
        ['Sun Dec 06 2026', undefined],
      ],
    );
  });
});
