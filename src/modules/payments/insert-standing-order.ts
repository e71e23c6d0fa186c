import { parseAmount } from '../../core/index.ts';
import type { TxContext } from '../../platform/db/index.ts';
import { standingOrderInstalmentJob } from './execute-standing-order-instalment.ts';
import type { PaymentReach } from './payment-model.ts';
import type { PaymentStores } from './payment-stores.ts';
import { recordStandingOrderProgress } from './record-standing-order-progress.ts';
import type { DomesticStandingOrderTerms } from './stage-scheduled-payment-consents.ts';
import { businessDaysOf, instalmentPaidAt } from './standing-order-plan.ts';
import type { ConsentedPayment } from './submit-under-consent.ts';

/** A standing order as a submission sets it up. */
export interface NewStandingOrder {
  readonly id: string;
  readonly reach: PaymentReach;
  /** What the consent settled (`submitUnderConsent`). */
  readonly consented: ConsentedPayment;
  /** The schedule and amounts the PSU authorised. */
  readonly terms: DomesticStandingOrderTerms;
  /** The bank's own account the creditor names; null when each instalment leaves through clearing. */
  readonly creditorAccountId: string | null;
  /** International orders: the debtor account's currency, each instalment converted into it. */
  readonly debitCurrency: string | null;
  readonly shareRefundAccount: boolean;
}

/**
 * Stores a standing order pending with its first instalment, a durable job due at the
 * first payment date (run on the business day its rule moves that to) (dedupe key `standing-order:{id}:1`), in the submission's transaction; from
 * then on the payer's account shows the order, its first payment next (AIS standing-orders).
 */
export async function insertStandingOrder(stores: Pick<PaymentStores, 'standingOrders' | 'outbox' | 'businessDays'>, tx: TxContext, order: NewStandingOrder, now: Date): Promise<string> {
  const { consented, terms } = order;
  const { summary } = consented;
  const currency = terms.firstAmount.currency;
  const minor = (amount: { decimal: string } | undefined) => (amount ? parseAmount(amount.decimal, currency) : null);
  const stored = await stores.standingOrders.insert(
    tx,
    {
      id: order.id,
      reach: order.reach,
      consentId: consented.consentId,
      clientId: consented.clientId,
      psuId: consented.psuId,
      debtorAccountId: consented.debtorAccountId,
      debtor: consented.debtor,
      creditorAccountId: order.creditorAccountId,
      creditor: { name: summary.creditorName, scheme: summary.creditorScheme, identification: summary.creditorIdentification },
      reference: summary.reference,
      shareRefundAccount: order.shareRefundAccount,
      debitCurrency: order.debitCurrency,
      schedule: {
        currency,
        firstAmountMinor: summary.amountMinor,
        recurringAmountMinor: minor(terms.recurringAmount),
        finalAmountMinor: minor(terms.finalAmount),
        firstPaymentAt: terms.firstPaymentAt,
        recurringPaymentAt: terms.recurringPaymentAt ?? null,
        finalPaymentAt: terms.finalPaymentAt ?? null,
        numberOfPayments: terms.numberOfPayments === undefined ? null : Number(terms.numberOfPayments),
        frequency: terms.frequency,
        businessDayRule: terms.businessDayRule ?? null,
      },
    },
    now,
  );
  await recordStandingOrderProgress(stores, tx, stored, { status: 'pending', next: { n: 1, at: terms.firstPaymentAt } }, now);
  // Run on the business day the order's rule moves the date to (already past for `preceding`: at once).
  await stores.outbox.schedule(tx, standingOrderInstalmentJob(order.id, 1, terms.firstPaymentAt, instalmentPaidAt(stored.schedule, terms.firstPaymentAt, businessDaysOf(stores))), now);
  return order.id;
}
