/** A window the bank announced in advance during which the dedicated interface is not served. */
export interface PlannedDowntime {
  readonly id: string;
  readonly from: Date;
  readonly to: Date;
  readonly reason: string;
  readonly declaredAt: Date;
}
