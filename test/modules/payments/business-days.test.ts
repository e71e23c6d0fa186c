import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { businessCalendar, businessDayOf, easterSunday, target2ClosingDays, WEEKDAYS_ONLY } from '../../../src/modules/payments/business-days.ts';
import { firstStandingOrderDate, monthsInYearFrequency, nextStandingOrderDate, parseStandingOrderFrequency } from '../../../src/modules/payments/standing-order-frequency.ts';
import { instalmentPaidAt, nextInstalmentAt } from '../../../src/modules/payments/standing-order-plan.ts';
import type { StandingOrderSchedule } from '../../../src/modules/payments/standing-order-model.ts';

const TARGET2 = businessCalendar({ target2: true, dates: [] });
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);

describe('business days: the bank calendar', () => {
  it('Easter Sunday by the Gregorian computus, against published dates', () => {
    const published: Record<number, string> = { 1818: '03-22', 1943: '04-25', 2000: '04-23', 2008: '03-23', 2019: '04-21', 2024: '03-31', 2025: '04-20', 2026: '04-05', 2027: '03-28', 2038: '04-25', 2285: '03-22' };
    for (const [year, date] of Object.entries(published)) {
      const [month, dayOfMonth] = easterSunday(Number(year));
      assert.equal(`${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`, date, year);
    }
  });

  it('TARGET2 closing days: New Year, Good Friday, Easter Monday, Labour Day, Christmas and the day after', () => {
    assert.deepEqual(target2ClosingDays(2027), ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-01', '2027-12-25', '2027-12-26']);
    assert.deepEqual(target2ClosingDays(2024), ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-01', '2024-12-25', '2024-12-26']);
  });

  it('weekends are never business days; TARGET2 and listed days only when the bank keeps them', () => {
    const weekdays = businessCalendar(WEEKDAYS_ONLY);
    assert.equal(weekdays.isBusinessDay(day('2027-03-27')), false, 'Saturday');
    assert.equal(weekdays.isBusinessDay(day('2027-03-28')), false, 'Sunday');
    assert.equal(weekdays.isBusinessDay(day('2027-03-26')), true, 'Good Friday without TARGET2');
    assert.equal(TARGET2.isBusinessDay(day('2027-03-26')), false, 'Good Friday');
    assert.equal(TARGET2.isBusinessDay(day('2027-03-29')), false, 'Easter Monday');
    assert.equal(TARGET2.isBusinessDay(day('2027-03-30')), true);
    const listed = businessCalendar({ target2: false, dates: ['2026-12-24'] });
    assert.equal(listed.isBusinessDay(day('2026-12-24')), false);
    assert.equal(listed.isBusinessDay(day('2026-12-25')), true);
  });

  it('following: the next business day, past weekends and holidays, keeping the time of day', () => {
    assert.equal(businessDayOf(new Date('2027-03-26T09:15:00Z'), 'following', TARGET2).toISOString(), '2027-03-30T09:15:00.000Z', 'Good Friday → Tuesday after Easter Monday');
    assert.equal(iso(businessDayOf(day('2026-12-25'), 'following', TARGET2)), '2026-12-28', 'Christmas on a Friday → Monday');
    assert.equal(iso(businessDayOf(day('2027-01-01'), 'following', TARGET2)), '2027-01-04', 'New Year on a Friday → Monday');
    assert.equal(iso(businessDayOf(day('2027-03-30'), 'following', TARGET2)), '2027-03-30', 'a business day stays');
  });

  it('preceding: the business day before, across the year end and listed days', () => {
    assert.equal(iso(businessDayOf(day('2027-03-29'), 'preceding', TARGET2)), '2027-03-25', 'Easter Monday → Maundy Thursday');
    assert.equal(iso(businessDayOf(day('2027-01-01'), 'preceding', TARGET2)), '2026-12-31', 'New Year → the last day of the year before');
    const christmasEve = businessCalendar({ target2: true, dates: ['2026-12-24'] });
    assert.equal(iso(businessDayOf(day('2026-12-26'), 'preceding', christmasEve)), '2026-12-23');
  });

  it('no rule: the date itself, business day or not', () => {
    assert.equal(iso(businessDayOf(day('2027-03-27'), null, TARGET2)), '2027-03-27');
  });
});

const schedule = (frequency: string, first: string, businessDayRule: StandingOrderSchedule['businessDayRule'], finalPaymentAt: string | null = null): StandingOrderSchedule => ({
  currency: 'EUR',
  firstAmountMinor: 100n,
  recurringAmountMinor: null,
  finalAmountMinor: null,
  firstPaymentAt: day(first),
  recurringPaymentAt: null,
  finalPaymentAt: finalPaymentAt ? new Date(`${finalPaymentAt}T23:59:59.999Z`) : null,
  numberOfPayments: null,
  frequency,
  businessDayRule,
});

/** Instalments 1…count of a schedule: [due date, day paid on]. */
function instalments(order: StandingOrderSchedule, count: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let due: Date | undefined = order.firstPaymentAt;
  for (let n = 1; due && n <= count; n += 1) {
    out.push([iso(due), iso(instalmentPaidAt(order, due, TARGET2))]);
    due = nextInstalmentAt(order, n, due);
  }
  return out;
}

describe('business days: standing-order instalments', () => {
  it('monthly on the 31st, following: month ends clamped, moved off weekends, the rhythm kept from the due dates', () => {
    // 2027-01-31 is a Sunday, 2027-02-28 a Sunday, 2027-04-30 a Friday, 2027-07-31 a Saturday.
    assert.deepEqual(instalments(schedule('IntrvlMnthDay:01:31', '2027-01-31', 'following'), 7), [
      ['2027-01-31', '2027-02-01'],
      ['2027-02-28', '2027-03-01'],
      ['2027-03-31', '2027-03-31'],
      ['2027-04-30', '2027-04-30'],
      ['2027-05-31', '2027-05-31'],
      ['2027-06-30', '2027-06-30'],
      ['2027-07-31', '2027-08-02'],
    ]);
  });

  it('monthly on the 29th and 30th through February of a leap year and of a common year', () => {
    assert.deepEqual(instalments(schedule('IntrvlMnthDay:01:29', '2028-01-29', null), 3).map(([due]) => due), ['2028-01-29', '2028-02-29', '2028-03-29']);
    assert.deepEqual(instalments(schedule('IntrvlMnthDay:01:29', '2027-01-29', null), 3).map(([due]) => due), ['2027-01-29', '2027-02-28', '2027-03-29']);
    assert.deepEqual(instalments(schedule('IntrvlMnthDay:01:30', '2028-01-30', null), 3).map(([due]) => due), ['2028-01-30', '2028-02-29', '2028-03-30']);
  });

  it('weekly on Saturday, preceding: paid each Friday, the next due the Saturday after (no drift)', () => {
    // 2027-03-20 is a Saturday; Friday 2027-03-26 is Good Friday, so that week pays on Thursday.
    assert.deepEqual(instalments(schedule('WEEK', '2027-03-20', 'preceding'), 3), [
      ['2027-03-20', '2027-03-19'],
      ['2027-03-27', '2027-03-25'],
      ['2027-04-03', '2027-04-02'],
    ]);
  });

  it('an end date bounds the due dates: the last instalment may be paid after it when following moves it', () => {
    // 2027-07-31 is a Saturday: due before the end, paid on Monday 2 August.
    assert.deepEqual(instalments(schedule('IntrvlMnthDay:01:31', '2027-06-30', 'following', '2027-07-31'), 5), [
      ['2027-06-30', '2027-06-30'],
      ['2027-07-31', '2027-08-02'],
    ]);
  });

  it('months of the year (MonthlyVariable): the day in each listed month, clamped, year after year', () => {
    const frequency = monthsInYearFrequency([10, 1, 4], 31);
    assert.equal(frequency, 'MnthsInYrDay:01,04,10:31');
    assert.deepEqual(instalments(schedule(frequency, '2027-01-31', 'following'), 4), [
      ['2027-01-31', '2027-02-01'],
      ['2027-04-30', '2027-04-30'],
      ['2027-10-31', '2027-11-01'],
      ['2028-01-31', '2028-01-31'],
    ]);
    assert.deepEqual(instalments(schedule(monthsInYearFrequency([2, 8], 30), '2028-02-29', null), 3).map(([due]) => due), ['2028-02-29', '2028-08-30', '2029-02-28']);
  });

  it('months of the year: only ascending months named once parse; the pattern is no OB Frequency_1', () => {
    assert.equal(parseStandingOrderFrequency('MnthsInYrDay:04,01:15', day('2027-01-01')), undefined);
    assert.equal(parseStandingOrderFrequency('MnthsInYrDay:04,04:15', day('2027-01-01')), undefined);
    assert.equal(parseStandingOrderFrequency('MnthsInYrDay:13:15', day('2027-01-01')), undefined);
    assert.deepEqual(parseStandingOrderFrequency('MnthsInYrDay:12:01', day('2027-01-01')), { kind: 'MnthsInYrDay', months: [12], dayInMonth: 1 });
  });

  it('the first instalment: the first day of the rhythm on or after the start', () => {
    const first = (type: string, from: string) => iso(firstStandingOrderDate(parseStandingOrderFrequency(type, day(from))!, day(from)));
    assert.equal(first('IntrvlMnthDay:01:15', '2027-02-10'), '2027-02-15');
    assert.equal(first('IntrvlMnthDay:01:15', '2027-02-15'), '2027-02-15');
    assert.equal(first('IntrvlMnthDay:01:31', '2027-02-10'), '2027-02-28');
    assert.equal(first('MnthsInYrDay:01,04,10:15', '2027-02-10'), '2027-04-15');
    assert.equal(first('MnthsInYrDay:01,04,10:15', '2027-10-16'), '2028-01-15');
    assert.equal(iso(nextStandingOrderDate(parseStandingOrderFrequency('MnthsInYrDay:01,04,10:15', day('2027-04-15'))!, day('2027-04-15'))), '2027-10-15');
  });
});
