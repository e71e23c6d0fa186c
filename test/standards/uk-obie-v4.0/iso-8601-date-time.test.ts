import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIso8601DateTime } from '../../../src/standards/uk-obie/v4.0/account-information/iso-8601-date-time.ts';

const DAY = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function utc(year: number, monthIndex: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.getTime();
}

/** The ISO week date of a day, by the Thursday rule (the week belongs to the year of its Thursday). */
function isoWeekOf(epochMs: number): { year: number; week: number; weekday: number } {
  const weekday = ((new Date(epochMs).getUTCDay() + 6) % 7) + 1;
  const thursday = epochMs + (4 - weekday) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  return { year, week: Math.floor((thursday - utc(year, 0, 1)) / DAY / 7) + 1, weekday };
}

type DateForm = 'calendar' | 'ordinal' | 'week';

function formatDate(epochMs: number, form: DateForm, extended: boolean): string {
  const d = new Date(epochMs);
  const sep = extended ? '-' : '';
  if (form === 'calendar') return `${pad(d.getUTCFullYear(), 4)}${sep}${pad(d.getUTCMonth() + 1)}${sep}${pad(d.getUTCDate())}`;
  if (form === 'ordinal') return `${pad(d.getUTCFullYear(), 4)}${sep}${pad((epochMs - utc(d.getUTCFullYear(), 0, 1)) / DAY + 1, 3)}`;
  const { year, week, weekday } = isoWeekOf(epochMs);
  return `${pad(year, 4)}${sep}W${pad(week)}${sep}${weekday}`;
}

const offsetArb = fc.oneof(
  fc.constant({ text: '', minutes: null as number | null }),
  fc.constant({ text: 'Z', minutes: 0 }),
  fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom('hh', 'hhmm', 'hh:mm')).map(([sign, h, m, form]) => {
    const minutes = form === 'hh' ? 0 : m;
    const text = form === 'hh' ? `${sign}${pad(h)}` : form === 'hhmm' ? `${sign}${pad(h)}${pad(m)}` : `${sign}${pad(h)}:${pad(m)}`;
    return { text, minutes: (sign === '-' ? -1 : 1) * (h * 60 + minutes) };
  }),
);

// Every millisecond from 0001-01-01 (a Monday: its week date stays in year 0001) to 9999-12-31.
const instantArb = fc.integer({ min: utc(1, 0, 1), max: utc(10_000, 0, 1) - 1 });

describe('ISO 8601 date-time parser (OB v4.0 AIS date filters)', () => {
  it('property: every valid representation of an instant parses to its wall clock and offset', () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.constantFrom<DateForm>('calendar', 'ordinal', 'week'),
        fc.boolean(),
        fc.constantFrom('date', 'hh', 'hhmm', 'hhmmss', 'fraction'),
        fc.stringMatching(/^\d{0,12}$/),
        fc.constantFrom('.', ','),
        offsetArb,
        (instant, form, extended, precision, extraDigits, decimalSign, offset) => {
          const day = Math.floor(instant / DAY) * DAY;
          const t = new Date(instant);
          const [h, m, s, ms] = [t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds()];
          const c = extended ? ':' : '';
          let text = formatDate(day, form, extended);
          let expected = day;
          if (precision !== 'date') {
            text += `T${pad(h)}`;
            expected += h * 3_600_000;
            if (precision !== 'hh') {
              text += `${c}${pad(m)}`;
              expected += m * 60_000;
            }
            if (precision === 'hhmmss' || precision === 'fraction') {
              text += `${c}${pad(s)}`;
              expected += s * 1000;
            }
            if (precision === 'fraction') {
              // Any number of digits: the milliseconds, then more that are truncated.
              text += `${decimalSign}${pad(ms, 3)}${extraDigits}`;
              expected += ms;
            }
            text += offset.text;
          }
          const parsed = parseIso8601DateTime(text);
          assert.ok(parsed, text);
          assert.equal(parsed.wallClock.getTime(), expected, text);
          assert.equal(parsed.offsetMinutes, precision === 'date' ? null : offset.minutes, text);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('property: agrees with Date.parse on every RFC 3339 date-time (the offset ignored)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), offsetArb, (date, offset) => {
        const local = date.toISOString().slice(0, -1);
        const parsed = parseIso8601DateTime(`${local}${offset.text}`);
        assert.equal(parsed?.wallClock.getTime(), Date.parse(`${local}Z`));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: any string parses to a valid date or to undefined, never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9TWZ:.,+-]{0,30}$/)), (text) => {
        const parsed = parseIso8601DateTime(text);
        if (parsed) assert.ok(Number.isFinite(parsed.wallClock.getTime()), text);
      }),
      { numRuns: 5000 },
    );
  });

  it('property: an impossible calendar date, time or offset is refused', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          // 29 February outside leap years, the 31st of 30-day months, days past 31, month 0 or 13+.
          fc.integer({ min: 1, max: 9999 }).filter((y) => !((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)).map((y) => `${pad(y, 4)}-02-29`),
          fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(4, 6, 9, 11)).map(([y, mo]) => `${pad(y, 4)}-${pad(mo)}-31`),
          fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 32, max: 99 })).map(([y, mo, d]) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}`),
          fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 13, 20, 99)).map(([y, mo]) => `${pad(y, 4)}${pad(mo)}01`),
          fc.integer({ min: 25, max: 99 }).map((h) => `2016-01-01T${pad(h)}:00:00Z`),
          fc.integer({ min: 60, max: 99 }).map((m) => `2016-01-01T10:${pad(m)}:00Z`),
          fc.integer({ min: 61, max: 99 }).map((sec) => `20160101T1040${pad(sec)}Z`),
          fc.integer({ min: 24, max: 99 }).map((oh) => `2016-01-01T10:40:12+${pad(oh)}:00`),
          fc.integer({ min: 60, max: 99 }).map((om) => `2016-01-01T10:40:12-01${pad(om)}`),
          fc.integer({ min: 367, max: 999 }).map((n) => `2016-${pad(n, 3)}`),
          fc.integer({ min: 54, max: 99 }).map((w) => `2016-W${pad(w)}-1`),
        ),
        (text) => assert.equal(parseIso8601DateTime(text), undefined, text),
      ),
      { numRuns: 2000 },
    );
  });

  it('reads the forms the OBIE conformance suite v1.9.1 sends (OB-400-STA-105900 … 106300, OB-400-TRA-105110/105120)', () => {
    const cases: Array<[string, string, number | null]> = [
      ['2016-01-01T10:40:00', '2016-01-01T10:40:00.000Z', null],
      ['20160101T104012.345Z', '2016-01-01T10:40:12.345Z', 0],
      ['2016-01-01T10:40:12.34567Z', '2016-01-01T10:40:12.345Z', 0],
      ['2016-01-01T10:40:12.34567+01', '2016-01-01T10:40:12.345Z', 60],
      ['20160101T104012.567+01', '2016-01-01T10:40:12.567Z', 60],
      ['2020-04-23T15:47:00.999', '2020-04-23T15:47:00.999Z', null],
    ];
    for (const [text, wallClock, offset] of cases) {
      assert.deepEqual(parseIso8601DateTime(text), { wallClock: new Date(wallClock), offsetMinutes: offset }, text);
    }
  });

  it('reads fractions of the lowest-order component, end of day, leap seconds and week/ordinal dates exactly', () => {
    const cases: Array<[string, string]> = [
      ['2016-01-01T10:30.5', '2016-01-01T10:30:30.000Z'],
      ['2016-01-01T10,25', '2016-01-01T10:15:00.000Z'],
      ['20160101T1030,5', '2016-01-01T10:30:30.000Z'],
      ['2016-12-31T24:00:00Z', '2017-01-01T00:00:00.000Z'],
      ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.999Z'],
      ['2009-W53-7', '2010-01-03T00:00:00.000Z'],
      ['2008W011', '2007-12-31T00:00:00.000Z'],
      ['2016-366', '2016-12-31T00:00:00.000Z'],
      ['0099-03-01', '0099-03-01T00:00:00.000Z'],
    ];
    for (const [text, wallClock] of cases) assert.equal(parseIso8601DateTime(text)?.wallClock.toISOString(), wallClock, text);
  });

  it('refuses forms ISO 8601 does not define', () => {
    for (const text of [
      '',
      'yesterday',
      '2016-01-01T',
      '2016-01-01 10:40:00',
      '2016-0101',
      '201601-01',
      '2016-01-01T104012',
      '20160101T10:40:12',
      '2016-01-01T10:40:12.',
      '2016-01-01T10:40:12.5.5',
      '2016-01-01T10:40:12+1',
      '2016-01-01T10:40:12+01:0',
      '2016-01-01T10:40:12ZZ',
      '2016-01-01T24:00:01',
      '2016-01-01T10:40:60',
      '2016-W53-1',
      '2016-000',
      '2015-366',
      '+02016-01-01',
      '16-01-01',
      '2016-01-01T10:40:12Z ',
    ]) {
      assert.equal(parseIso8601DateTime(text), undefined, text);
    }
  });
});
