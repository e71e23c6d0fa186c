import type { Migrations } from '../migrate.ts';
import * as outbox from './0001-outbox.ts';
import * as coreBank from './0002-core-bank.ts';
import * as psuIdentity from './0003-psu-identity.ts';
import * as directory from './0004-directory.ts';
import * as auth from './0005-auth.ts';
import * as consents from './0006-consents.ts';
import * as psuInteractions from './0007-psu-interactions.ts';
import * as psuPasskeys from './0008-psu-passkeys.ts';
import * as aisAccountRefs from './0009-ais-account-refs.ts';
import * as idempotencyKeys from './0010-idempotency-keys.ts';
import * as scheduledJobs from './0011-scheduled-jobs.ts';
import * as payments from './0012-payments.ts';
import * as domesticVrps from './0014-domestic-vrps.ts';
import * as standingOrders from './0015-standing-orders.ts';
import * as paymentExchangeRates from './0016-payment-exchange-rates.ts';
import * as internationalSchedules from './0017-international-schedules.ts';
import * as filePayments from './0018-file-payments.ts';
import * as standingOrderAmounts from './0019-standing-order-amounts.ts';
import * as housekeepingIndexes from './0021-housekeeping-indexes.ts';
import * as eventContract from './0022-event-contract.ts';
import * as processedEvents from './0023-processed-events.ts';
import * as paymentExecutionSaga from './0024-payment-execution-saga.ts';
import * as neutralLedgerSchemes from './0027-neutral-ledger-schemes.ts';
import * as neutralConsentStatuses from './0028-neutral-consent-statuses.ts';
import * as consentAccessScopes from './0029-consent-access-scopes.ts';
import * as neutralPaymentStatuses from './0030-neutral-payment-statuses.ts';
import * as neutralStandingOrderStatuses from './0031-neutral-standing-order-statuses.ts';
import * as obWireBodies from './0032-ob-wire-bodies.ts';
import * as dropModuleRequestBodies from './0033-drop-module-request-bodies.ts';
import * as accountReadModel from './0034-account-read-model.ts';

/**
 * Every migration, in order. Names are permanent once released: add new files, never edit or
 * rename an applied one.
 */
export const platformMigrations: Migrations = {
  '0001-outbox': outbox,
  '0002-core-bank': coreBank,
  '0003-psu-identity': psuIdentity,
  '0004-directory': directory,
  '0005-auth': auth,
  '0006-consents': consents,
  '0007-psu-interactions': psuInteractions,
  '0008-psu-passkeys': psuPasskeys,
  '0009-ais-account-refs': aisAccountRefs,
  '0010-idempotency-keys': idempotencyKeys,
  '0011-scheduled-jobs': scheduledJobs,
  '0012-payments': payments,
  '0014-domestic-vrps': domesticVrps,
  '0015-standing-orders': standingOrders,
  '0016-payment-exchange-rates': paymentExchangeRates,
  '0017-international-schedules': internationalSchedules,
  '0018-file-payments': filePayments,
  '0019-standing-order-amounts': standingOrderAmounts,
  '0021-housekeeping-indexes': housekeepingIndexes,
  '0022-event-contract': eventContract,
  '0023-processed-events': processedEvents,
  '0024-payment-execution-saga': paymentExecutionSaga,
  '0027-neutral-ledger-schemes': neutralLedgerSchemes,
  '0028-neutral-consent-statuses': neutralConsentStatuses,
  '0029-consent-access-scopes': consentAccessScopes,
  '0030-neutral-payment-statuses': neutralPaymentStatuses,
  '0031-neutral-standing-order-statuses': neutralStandingOrderStatuses,
  '0032-ob-wire-bodies': obWireBodies,
  '0033-drop-module-request-bodies': dropModuleRequestBodies,
  '0034-account-read-model': accountReadModel,
};
