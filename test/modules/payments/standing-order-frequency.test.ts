import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextStandingOrderDate, parseStandingOrderFrequency } from '../../../src/modules/payments/standing-order-frequency.ts';

/** Dates after `first`, `count` of them, under a frequency type, as ISO strings. */
function series(type: string, first: string, count: number): string[] {
  const start = new Date(first);
  const frequency = parseStandingOrderFrequency(type, start);
  assert.ok(frequency, `${type} parses`);
  const dates: string[] = [];
  let previous = start;
  for (let i = 0; i < count; i += 1) {
    previous = nextStandingOrderDate(frequency, previous);
    dates.push(previous.toISOString());
  }
  return dates;
}

describe('standing-order frequency (OB v4.0 Frequency_1)', () => {
  it('EvryDay: every calendar day, keeping the time of day', () => {
    assert.deepEqual(series('EvryDay', '2030-01-30T09:30:00Z', 3), ['2030-01-31T09:30:00.000Z', '2030-02-01T09:30:00.000Z', '2030-02-02T09:30:00.000Z']);
  });

  it('EvryWorkgDay: skips Saturday and Sunday', () => {
    // 2030-01-04 is a Friday.
    assert.deepEqual(series('EvryWorkgDay', '2030-01-04T08:00:00Z', 2), ['2030-01-07T08:00:00.000Z', '2030-01-08T08:00:00.000Z']);
  });

  it('IntrvlDay:nn: every nn days', () => {
    assert.deepEqual(series('IntrvlDay:10', '2030-02-25T00:00:00Z', 2), ['2030-03-07T00:00:00.000Z', '2030-03-17T00:00:00.000Z']);
  });

  it('IntrvlWkDay:01:03: every Wednesday; a first payment off the pattern is followed by the pattern', () => {
    // 2030-01-07 is a Monday.
    assert.deepEqual(series('IntrvlWkDay:01:03', '2030-01-07T10:00:00Z', 3), ['2030-01-09T10:00:00.000Z', '2030-01-16T10:00:00.000Z', '2030-01-23T10:00:00.000Z']);
  });

  it('IntrvlWkDay:02:01: every other Monday', () => {
    assert.deepEqual(series('IntrvlWkDay:02:01', '2030-01-07T10:00:00Z', 2), ['2030-01-21T10:00:00.000Z', '2030-02-04T10:00:00.000Z']);
  });

  it('WkInMnthDay:02:03: the second Wednesday of each month; 05 is the last when a month has four', () => {
    assert.deepEqual(series('WkInMnthDay:02:03', '2030-01-01T12:00:00Z', 3), ['2030-01-09T12:00:00.000Z', '2030-02-13T12:00:00.000Z', '2030-03-13T12:00:00.000Z']);
    // February 2030 has four Fridays: the last is the 22nd; March 2030 has five (29th).
    assert.deepEqual(series('WkInMnthDay:05:05', '2030-02-01T12:00:00Z', 2), ['2030-02-22T12:00:00.000Z', '2030-03-29T12:00:00.000Z']);
  });

  it('IntrvlMnthDay:01:15 monthly on the 15th; 31 is clamped; negative days count from the end; 03 is quarterly', () => {
    assert.deepEqual(series('IntrvlMnthDay:01:15', '2030-01-20T00:00:00Z', 2), ['2030-02-15T00:00:00.000Z', '2030-03-15T00:00:00.000Z']);
    assert.deepEqual(series('IntrvlMnthDay:01:31', '2030-01-31T00:00:00Z', 2), ['2030-02-28T00:00:00.000Z', '2030-03-31T00:00:00.000Z']);
    assert.deepEqual(series('IntrvlMnthDay:01:-01', '2030-01-31T00:00:00Z', 2), ['2030-02-28T00:00:00.000Z', '2030-03-31T00:00:00.000Z']);
    assert.deepEqual(series('IntrvlMnthDay:01:-02', '2032-01-15T00:00:00Z', 1), ['2032-01-30T00:00:00.000Z']);
    assert.deepEqual(series('IntrvlMnthDay:03:01', '2030-01-01T00:00:00Z', 2), ['2030-04-01T00:00:00.000Z', '2030-07-01T00:00:00.000Z']);
  });

  it('QtrDay: the English, Scottish and received quarter days, across the year end', () => {
    assert.deepEqual(series('QtrDay:ENGLISH', '2030-11-01T00:00:00Z', 3), ['2030-12-25T00:00:00.000Z', '2031-03-25T00:00:00.000Z', '2031-06-24T00:00:00.000Z']);
    assert.deepEqual(series('QtrDay:SCOTTISH', '2030-02-02T00:00:00Z', 1), ['2030-05-15T00:00:00.000Z']);
    assert.deepEqual(series('QtrDay:RECEIVED', '2030-09-25T00:00:00Z', 1), ['2030-12-20T00:00:00.000Z']);
  });

  it('OBFrequency6Code: calendar codes recur on the first payment\'s weekday or day of month', () => {
    assert.deepEqual(series('MNTH', '2030-01-10T00:00:00Z', 1), ['2030-02-10T00:00:00.000Z']);
    assert.deepEqual(series('WEEK', '2030-01-10T00:00:00Z', 1), ['2030-01-17T00:00:00.000Z']);
    assert.deepEqual(series('YEAR', '2030-01-10T00:00:00Z', 1), ['2031-01-10T00:00:00.000Z']);
  });

  it('what the bank cannot run does not parse: NotKnown, ad hoc, malformed patterns', () => {
    const first = new Date('2030-01-01T00:00:00Z');
    for (const type of ['NotKnown', 'ADHO', 'INDA', 'TWMH', 'IntrvlDay:01', 'IntrvlDay:32', 'IntrvlWkDay:10:01', 'IntrvlWkDay:01:08', 'IntrvlMnthDay:07:01', 'QtrDay:WELSH', 'EvryDay ']) {
      assert.equal(parseStandingOrderFrequency(type, first), undefined, type);
    }
  });
});
