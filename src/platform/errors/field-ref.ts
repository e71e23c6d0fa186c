/**
 * A neutral reference to the field of a request an error is about. Modules name fields in the
 * domain's own terms (a payment instruction's amount, a consent's expiry); each standard facade maps
 * a reference to its wire path (UK OB v4.0: `instruction.amount.value` is
 * `Data.Initiation.InstructedAmount.Amount`).
 */

/** Money fields: each has a value and a currency. */
export type AmountRef =
  | 'instruction.amount'
  | 'instruction.schedule.first-amount'
  | 'instruction.schedule.recurring-amount'
  | 'instruction.schedule.final-amount'
  | 'order.amount'
  | 'funds-check.amount'
  | 'controls.max-single'
  | 'controls.periodic-limits[].amount';

/** Account identifiers: a scheme and an identification under it. */
export type AccountRef = 'instruction.creditor.account' | 'instruction.debtor.account' | 'order.creditor.account' | 'funds.account';

export type FieldRef =
  | `${AmountRef}.value`
  | `${AmountRef}.currency`
  | AccountRef
  | `${AccountRef}.scheme`
  | `${AccountRef}.identification`
  | 'consent-id'
  | 'consent.expires-at'
  | 'access.clusters'
  | 'access.window.from'
  | 'instruction'
  | 'instruction.fx'
  | 'instruction.schedule.execute-at'
  | 'instruction.schedule.first-date'
  | 'instruction.schedule.recurring-date'
  | 'instruction.schedule.final-date'
  | 'instruction.schedule.count'
  | 'instruction.schedule.frequency'
  | 'instruction.file.hash'
  | 'instruction.file.count'
  | 'instruction.file.control-sum'
  | 'order'
  | 'controls.periodic-limits[].period'
  | 'controls.periodic-limits[].alignment'
  | 'controls.valid-from'
  | 'controls.valid-to';
