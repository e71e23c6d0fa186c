import type { BusinessDayRule } from './business-days.ts';
import type { StandingOrderStatus } from './payment-status.ts';
import type { PaymentOrderFields, PaymentReach } from './payment-model.ts';

export type { StandingOrderStatus };

/** When and how much a standing order pays (neutral; amounts in minor units of `currency`). */
export interface StandingOrderSchedule {
  readonly currency: string;
  readonly firstAmountMinor: bigint;
  /** Every instalment between the first and the final; the first amount when absent. */
  readonly recurringAmountMinor: bigint | null;
  /** The last instalment's; the recurring amount when absent. */
  readonly finalAmountMinor: bigint | null;
  readonly firstPaymentAt: Date;
  /** The second instalment's date when it is not the frequency's next date after the first. */
  readonly recurringPaymentAt: Date | null;
  /** No instalment after this date. */
  readonly finalPaymentAt: Date | null;
  /** No instalment after this many. Neither this nor `finalPaymentAt`: open-ended. */
  readonly numberOfPayments: number | null;
  /** As the standard named it (`parseStandingOrderFrequency`). */
  readonly frequency: string;
  /**
   * An instalment whose date is not a business day is paid on the next (`following`) or previous
   * (`preceding`) one; null: on its date. The next date is counted from the date, not the day paid.
   */
  readonly businessDayRule: BusinessDayRule | null;
}

/** A standing order set up under an authorised consent (domestic, or international: see `debitCurrency`). */
export interface DomesticStandingOrder extends PaymentOrderFields {
  /** Each instalment is a payment of kind `standing-order` and this reach. */
  readonly reach: PaymentReach;
  readonly status: StandingOrderStatus;
  readonly schedule: StandingOrderSchedule;
  /**
   * International orders: the debtor account's currency. The schedule's amounts are in the currency
   * of transfer, and each instalment debits their conversion at the bank's rate when it runs.
   */
  readonly debitCurrency: string | null;
}
