import type { AccountInformationSource } from './account-information.port.ts';
import type { AccountOrders } from './account-orders.port.ts';
import type { FundsChecker } from './funds.port.ts';
import type { PaymentExecutor } from './payment-executor.port.ts';

/**
 * What Portico needs from the bank's system of record (DESIGN.md §1, "The core-banking ports"):
 * one object per core, implementing every port. The built-in ledger is one adapter
 * (src/core/adapters/ledger); a bank plugs in another, and both pass src/core/testing/core-contract.ts.
 */
export interface CoreBanking extends AccountInformationSource, AccountOrders, FundsChecker, PaymentExecutor {
  /**
   * Whether the core publishes core events (core-events.port.ts). When it does, readers cache what
   * they read until an event says it changed; when it does not, they read through every time.
   */
  readonly emitsEvents: boolean;
}
