import type { PaymentSummary } from '../../../src/modules/consents/index.ts';

/** A single domestic payment a consent pays: £10.50 rent to Bob. */
export const RENT_PAYMENT: PaymentSummary = {
  amountMinor: 1050n,
  currency: 'GBP',
  creditorName: 'Bob',
  creditorScheme: 'sort-code-account',
  creditorIdentification: '40400412345678',
  reference: 'Rent',
  debtorAccountId: null,
};
