import type { Row } from '../../platform/db/index.ts';
import type { PaymentOrderType, PaymentReach } from './payment-model.ts';

/** How `payments.kind` (and `standing_orders.kind`) stores a payment order's kind and reach. */
export type PaymentKindColumn = Row<'payments'>['kind'];

/** The stored names: those the rows have had since they were first written, kept as they are. */
const TYPE_OF_COLUMN = {
  'domestic-payment': { kind: 'single', reach: 'domestic' },
  'domestic-scheduled-payment': { kind: 'scheduled', reach: 'domestic' },
  'domestic-standing-order': { kind: 'standing-order', reach: 'domestic' },
  'domestic-vrp': { kind: 'recurring', reach: 'domestic' },
  'file-payment': { kind: 'file', reach: 'domestic' },
  'international-payment': { kind: 'single', reach: 'international' },
  'international-scheduled-payment': { kind: 'scheduled', reach: 'international' },
  'international-standing-order': { kind: 'standing-order', reach: 'international' },
} as const satisfies Record<PaymentKindColumn, PaymentOrderType>;

const COLUMNS = Object.keys(TYPE_OF_COLUMN) as PaymentKindColumn[];

/** The kind and reach a stored `kind` names. */
export function paymentOrderTypeOf(column: PaymentKindColumn): PaymentOrderType {
  return TYPE_OF_COLUMN[column];
}

/** The stored `kind` of a payment order's kind and reach. */
export function kindColumnOf(type: PaymentOrderType): PaymentKindColumn {
  const column = COLUMNS.find((c) => TYPE_OF_COLUMN[c].kind === type.kind && TYPE_OF_COLUMN[c].reach === type.reach);
  if (!column) throw new Error(`no ${type.reach} payment order of kind ${type.kind}`);
  return column;
}

/** The stored `kind` of a standing order (`standing_orders.kind`): its instalments' own. */
export function standingOrderKindColumnOf(reach: PaymentReach): PaymentKindColumn & `${PaymentReach}-standing-order` {
  return `${reach}-standing-order`;
}
