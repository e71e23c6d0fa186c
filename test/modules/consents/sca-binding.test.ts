import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scaBindingOf, type PaymentSummary } from '../../../src/modules/consents/index.ts';

/** PSD2 RTS Art. 5: the code the PSU enters is bound to everything the consent page showed. */
describe('SCA dynamic linking of recurring payments (VRP)', () => {
  const vrp: PaymentSummary = {
    amountMinor: 10_000n,
    currency: 'GBP',
    creditorName: 'Bob',
    creditorScheme: 'SortCodeAccountNumber',
    creditorIdentification: '11223344556677',
    reference: 'Sweep',
    debtorAccountId: null,
    controls: {
      validFrom: new Date('2026-12-01T00:00:00Z'),
      validTo: new Date('2027-12-01T00:00:00Z'),
      periodicLimits: [{ periodType: 'Month', alignment: 'Calendar', amountMinor: 50_000n }],
    },
  };
  const limit = vrp.controls!.periodicLimits[0]!;

  it('a code shown for one set of control parameters does not authorise any other: every limit, the validity, the reference and the payee are bound', () => {
    const shown = scaBindingOf('vrp-1', vrp);
    const changed: PaymentSummary[] = [
      { ...vrp, amountMinor: 10_001n },
      { ...vrp, reference: 'Other' },
      { ...vrp, creditorIdentification: '11223344556678' },
      { ...vrp, controls: { ...vrp.controls!, periodicLimits: [{ ...limit, amountMinor: 50_001n }] } },
      { ...vrp, controls: { ...vrp.controls!, periodicLimits: [{ ...limit, periodType: 'Year' }] } },
      { ...vrp, controls: { ...vrp.controls!, periodicLimits: [{ ...limit, alignment: 'Consent' }] } },
      { ...vrp, controls: { ...vrp.controls!, periodicLimits: [limit, { periodType: 'Day', alignment: 'Consent', amountMinor: 1n }] } },
      { ...vrp, controls: { ...vrp.controls!, periodicLimits: [] } },
      { ...vrp, controls: { ...vrp.controls!, validTo: new Date('2028-12-01T00:00:00Z') } },
      { ...vrp, controls: { ...vrp.controls!, validFrom: null } },
      { ...vrp, controls: undefined },
    ];
    const bindings = changed.map((summary) => scaBindingOf('vrp-1', summary));
    for (const [i, binding] of bindings.entries()) assert.notEqual(binding, shown, `change ${i} keeps the binding`);
    assert.equal(new Set(bindings).size, bindings.length);
    assert.equal(scaBindingOf('vrp-1', { ...vrp, controls: { ...vrp.controls!, periodicLimits: [{ ...limit }] } }), shown, 'the same parameters bind the same');
  });
});
