import { it } from 'node:test';
import assert from 'node:assert/strict';
import { kindColumnOf, paymentOrderTypeOf, standingOrderKindColumnOf, type PaymentKindColumn } from '../../../src/modules/payments/payment-kind-column.ts';

const STORED: readonly PaymentKindColumn[] = [
  'domestic-payment',
  'domestic-scheduled-payment',
  'domestic-standing-order',
  'domestic-vrp',
  'file-payment',
  'international-payment',
  'international-scheduled-payment',
  'international-standing-order',
];

it('each stored payment kind is one kind and reach of payment order, and back', () => {
  assert.deepEqual(
    STORED.map((column) => [column, paymentOrderTypeOf(column)]),
    [
      ['domestic-payment', { kind: 'single', reach: 'domestic' }],
      ['domestic-scheduled-payment', { kind: 'scheduled', reach: 'domestic' }],
      ['domestic-standing-order', { kind: 'standing-order', reach: 'domestic' }],
      ['domestic-vrp', { kind: 'recurring', reach: 'domestic' }],
      ['file-payment', { kind: 'file', reach: 'domestic' }],
      ['international-payment', { kind: 'single', reach: 'international' }],
      ['international-scheduled-payment', { kind: 'scheduled', reach: 'international' }],
      ['international-standing-order', { kind: 'standing-order', reach: 'international' }],
    ],
  );
  for (const column of STORED) assert.equal(kindColumnOf(paymentOrderTypeOf(column)), column);
});

it("a standing order is stored under its instalments' kind", () => {
  assert.equal(standingOrderKindColumnOf('domestic'), kindColumnOf({ kind: 'standing-order', reach: 'domestic' }));
  assert.equal(standingOrderKindColumnOf('international'), kindColumnOf({ kind: 'standing-order', reach: 'international' }));
});
