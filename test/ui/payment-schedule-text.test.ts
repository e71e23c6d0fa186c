import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_ACCESS, scaBindingOf, type PaymentSummary } from '../../src/modules/consents/index.ts';
import { consentPage } from '../../src/ui/psu/consent-page.ts';
import { paymentScheduleText } from '../../src/ui/psu/payment-schedule-text.ts';

// A Wednesday.
const FIRST = new Date('2026-12-02T10:00:00Z');

describe('PSU consent page: when a scheduled payment or standing order pays', () => {
  it('states a scheduled payment’s date and a standing order’s rhythm, count and end in words', () => {
    assert.equal(paymentScheduleText({ firstPaymentAt: FIRST }), 'On 2 December 2026');
    assert.equal(paymentScheduleText({ firstPaymentAt: FIRST, frequency: 'EvryDay', numberOfPayments: 3, finalPaymentAt: null }), 'Every day from 2 December 2026, 3 payments');
    assert.equal(paymentScheduleText({ firstPaymentAt: FIRST, frequency: 'IntrvlWkDay:01:03', numberOfPayments: 1 }), 'Every week on Wednesday from 2 December 2026, 1 payment');
    assert.equal(paymentScheduleText({ firstPaymentAt: FIRST, frequency: 'IntrvlMnthDay:01:-01', numberOfPayments: null }), 'Every month on the last day from 2 December 2026, with no end date');
    assert.equal(
      paymentScheduleText({ firstPaymentAt: FIRST, frequency: 'MNTH', finalPaymentAt: new Date('2027-06-02T10:00:00Z') }),
      'Every month on the 2nd from 2 December 2026, the last on or before 2 June 2027',
    );
    assert.equal(paymentScheduleText({ firstPaymentAt: FIRST, frequency: 'WkInMnthDay:05:05', numberOfPayments: 12 }), 'Every month on the last Friday from 2 December 2026, 12 payments');
    assert.equal(
      paymentScheduleText({ firstPaymentAt: FIRST, frequency: 'MnthsInYrDay:01,04,10:31', businessDayRule: 'following' }),
      'Every year in January, April and October on the last day from 2 December 2026, with no end date; a date on a weekend or bank holiday is paid on the next business day',
    );
    assert.equal(
      paymentScheduleText({ firstPaymentAt: FIRST, frequency: 'IntrvlMnthDay:01:15', numberOfPayments: 2, businessDayRule: 'preceding' }),
      'Every month on the 15th from 2 December 2026, 2 payments; a date on a weekend or bank holiday is paid on the business day before',
    );
  });

  it('shows it with the amount and payee, and in the sentence the one-time code confirms', () => {
    const page = consentPage({
      action: '/psu/interaction/x/consent',
      tppLegalName: 'Global Schedules Ltd',
      clientName: 'Global Schedules Ltd',
      access: NO_ACCESS,
      expiresAt: null,
      accounts: [{ id: 'acc-1', displayName: 'Current account', preselected: true }],
      payment: { amount: '10.00', currency: 'EUR', payee: 'Empfänger GmbH', payeeAccount: 'DE89370400440532013000', reference: 'Rent', when: 'Every day from 2 December 2026, 3 payments' },
      binding: 'b',
    });
    assert.match(page, /<dt>Amount<\/dt><dd>€10\.00<\/dd>\s*<dt>When<\/dt><dd>Every day from 2 December 2026, 3 payments<\/dd>/);
    assert.match(page, /Your code confirms this payment of €10\.00 to Empfänger GmbH \(Every day from 2 December 2026, 3 payments\)\./);
  });

  it('binds the schedule into the dynamic-linking code: another date or rhythm no longer matches what the PSU authenticated', () => {
    const summary: PaymentSummary = {
      amountMinor: 1000n,
      currency: 'EUR',
      creditorName: 'Empfänger GmbH',
      creditorScheme: 'IBAN',
      creditorIdentification: 'DE89370400440532013000',
      reference: 'Rent',
      debtorAccountId: null,
      schedule: { firstPaymentAt: FIRST, frequency: 'EvryDay', numberOfPayments: 3, finalPaymentAt: null },
    };
    const shown = scaBindingOf('piso-1', summary);
    assert.equal(scaBindingOf('piso-1', { ...summary, schedule: { ...summary.schedule!, firstPaymentAt: FIRST } }), shown);
    for (const schedule of [
      { ...summary.schedule!, firstPaymentAt: new Date(FIRST.getTime() + 86_400_000) },
      { ...summary.schedule!, frequency: 'IntrvlDay:02' },
      { ...summary.schedule!, numberOfPayments: 30 },
      { ...summary.schedule!, businessDayRule: 'following' as const },
    ]) {
      assert.notEqual(scaBindingOf('piso-1', { ...summary, schedule }), shown);
    }
  });
});
