export type * from './account-information.port.ts';
export type * from './account-orders.port.ts';
export type * from './funds.port.ts';
export type * from './payment-executor.port.ts';
export type * from './core-banking.port.ts';
export type * from './core-events.port.ts';
