import type { UnitOfWork } from '../../platform/db/index.ts';
import type { IdempotencyApi } from '../idempotency/index.ts';
import type { BusinessCalendar } from './business-days.ts';
import type { PaymentConsents } from './payment-consents.port.ts';
import type { PaymentFilesRepository } from './payment-files.repository.port.ts';
import type { PaymentOutbox } from './payment-outbox.port.ts';
import type { PaymentsRepository } from './payments.repository.port.ts';
import type { StandingOrdersRepository } from './standing-orders.repository.port.ts';

/** The ports payments' use cases work through: their own storage, and the modules they write with. */
export interface PaymentStores {
  /** Opens the transactions payments' own writes commit in. */
  readonly uow: UnitOfWork;
  readonly payments: PaymentsRepository;
  readonly standingOrders: StandingOrdersRepository;
  readonly files: PaymentFilesRepository;
  readonly outbox: PaymentOutbox;
  readonly consents: PaymentConsents;
  readonly idempotency: Pick<IdempotencyApi, 'withIdempotency'>;
  /** The payee fingerprint a new payment's event carries (`payeeFingerprint` under the bank's key); without it the event names no payee. */
  /** The bank's business days, that orders with a business-day rule pay on; Monday to Friday when not given. */
  readonly businessDays?: BusinessCalendar | undefined;
  readonly fingerprintPayee?: ((creditor: { readonly scheme: string; readonly identification: string }) => string) | undefined;
}
