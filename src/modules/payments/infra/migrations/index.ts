import type { Migrations } from '../../../../platform/db/index.ts';
import * as payments from './0012-payments.ts';
import * as domesticVrps from './0014-domestic-vrps.ts';
import * as standingOrders from './0015-standing-orders.ts';
import * as paymentExchangeRates from './0016-payment-exchange-rates.ts';
import * as internationalSchedules from './0017-international-schedules.ts';
import * as filePayments from './0018-file-payments.ts';
import * as paymentExecutionSaga from './0024-payment-execution-saga.ts';
import * as neutralPaymentStatuses from './0030-neutral-payment-statuses.ts';
import * as neutralStandingOrderStatuses from './0031-neutral-standing-order-statuses.ts';
import * as dropModuleRequestBodies from './0033-drop-module-request-bodies.ts';
import * as paymentFileEntriesNeutral from './0036-payment-file-entries-neutral.ts';
import * as cancelledPaymentOrders from './0054-cancelled-payment-orders.ts';
import * as standingOrderBusinessDays from './0059-standing-order-business-days.ts';

/**
 * The payments module's tables: payments, standing orders, payment files, exchange rates, and their
 * later changes (decision 0008h).
 */
export const paymentsMigrations: Migrations = {
  '0012-payments': payments,
  '0014-domestic-vrps': domesticVrps,
  '0015-standing-orders': standingOrders,
  '0016-payment-exchange-rates': paymentExchangeRates,
  '0017-international-schedules': internationalSchedules,
  '0018-file-payments': filePayments,
  '0024-payment-execution-saga': paymentExecutionSaga,
  '0030-neutral-payment-statuses': neutralPaymentStatuses,
  '0031-neutral-standing-order-statuses': neutralStandingOrderStatuses,
  // Also drops `consents.request`: kept whole with the three payment tables it changes (the
  // counterpart of the OB wire store's 0032, which copied the bodies first).
  '0033-drop-module-request-bodies': dropModuleRequestBodies,
  '0036-payment-file-entries-neutral': paymentFileEntriesNeutral,
  '0054-cancelled-payment-orders': cancelledPaymentOrders,
  '0059-standing-order-business-days': standingOrderBusinessDays,
};
