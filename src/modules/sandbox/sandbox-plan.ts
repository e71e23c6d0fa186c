import type { LedgerAccountScheme } from '../../core/index.ts';
import type { DirectDebitKind, Merchant } from './sandbox-catalogue.ts';

/** The account schemes of the counterparties the sandbox makes up. */
export type CounterpartyScheme = LedgerAccountScheme;

export interface Counterparty {
  readonly name: string;
  readonly scheme: CounterpartyScheme;
  readonly identification: string;
}

/**
 * The markets the sandbox bank serves. UK customers bank in sterling with sort codes (and may keep a
 * euro wallet); EU customers live in the euro area and bank in euro, with their own country's IBANs.
 */
export type SandboxMarket = 'UK' | 'EU';

/** `euro-current`: an EU customer's everyday account, held at the bank's branch in their country. */
export type AccountKind = 'current' | 'saver' | 'eur' | 'business' | 'euro-current';

export interface AccountPlan {
  readonly id: string;
  readonly kind: AccountKind;
  readonly currency: 'GBP' | 'EUR';
  readonly productId: string;
  readonly name: string;
  readonly nickname: string;
  /** null for accounts in the euro area, which are known by their IBAN alone. */
  readonly sortCode: string | null;
  readonly accountNumber: string | null;
  readonly iban: string;
  readonly bic: string;
  readonly openedAt: Date;
  readonly overdraftLimitMinor: bigint;
  /** `************1234`; null for accounts without a card. */
  readonly maskedPan: string | null;
  /** How other people's payments name this account. */
  readonly asCounterparty: Counterparty;
}

export interface StandingOrderPlan {
  readonly id: string;
  readonly account: AccountPlan;
  /** OB v4.0 `Frequency_1` value. */
  readonly frequency: string;
  readonly schedule: { readonly kind: 'monthly'; readonly day: number } | { readonly kind: 'weekly'; readonly isoWeekday: number };
  readonly hour: number;
  readonly amountMinor: bigint;
  readonly reference: string;
  readonly creditor: Counterparty;
  /** Set when the creditor is one of the bank's own accounts (booked without clearing). */
  readonly creditorAccount: AccountPlan | null;
  readonly description: string;
}

export interface DirectDebitPlan {
  readonly id: string;
  readonly account: AccountPlan;
  readonly originatorName: string;
  readonly kind: DirectDebitKind;
  readonly mandateId: string;
  readonly day: number;
  readonly baseMinor: bigint;
  readonly variable: boolean;
}

export interface BusinessPlan {
  readonly partyId: string;
  readonly name: string;
  readonly account: AccountPlan;
  readonly clients: readonly string[];
  readonly suppliers: readonly Counterparty[];
  readonly drawingsMinor: bigint;
}

export interface CustomerPlan {
  readonly market: SandboxMarket;
  readonly position: number;
  readonly fullName: string;
  readonly town: string;
  readonly personPartyId: string;
  readonly current: AccountPlan;
  readonly saver: AccountPlan | null;
  readonly eur: AccountPlan | null;
  readonly business: BusinessPlan | null;
  readonly employer: Counterparty;
  readonly salaryMinor: bigint;
  readonly payday: number;
  /**
   * The customer's accounts at other banks, the source of opening deposits and top-ups: one in the
   * current account's currency, one in euro (the same account for an EU customer).
   */
  readonly externalCurrent: Counterparty;
  readonly externalEur: Counterparty;
  readonly standingOrders: readonly StandingOrderPlan[];
  readonly directDebits: readonly DirectDebitPlan[];
  readonly family: Counterparty;
  readonly cardPurchasesPerWeek: number;
  readonly favouriteMerchants: readonly Merchant[];
  /** Where the customer's other card purchases happen: the shops of where they live. */
  readonly merchants: readonly Merchant[];
  /** Where the occasional large purchase happens. */
  readonly bigTicketMerchants: readonly Merchant[];
}
