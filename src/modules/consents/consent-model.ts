/** The neutral consent model every standard facade maps to and from. */
export type ConsentKind =
  | 'account-access'
  | 'domestic-payment'
  | 'domestic-scheduled-payment'
  | 'domestic-standing-order'
  | 'international-payment'
  | 'international-scheduled-payment'
  | 'international-standing-order'
  | 'file-payment'
  | 'domestic-vrp'
  | 'funds-confirmation';

export type ConsentStatus = 'AwaitingAuthorisation' | 'Authorised' | 'Rejected' | 'Revoked' | 'Expired' | 'Consumed';

/** OB v4.0 AIS `OBInternalPermissions1Code`, used as the neutral account-access permission set. */
export const ACCOUNT_PERMISSIONS = [
  'ReadAccountsBasic',
  'ReadAccountsDetail',
  'ReadBalances',
  'ReadBeneficiariesBasic',
  'ReadBeneficiariesDetail',
  'ReadDirectDebits',
  'ReadOffers',
  'ReadPAN',
  'ReadParty',
  'ReadPartyPSU',
  'ReadProducts',
  'ReadScheduledPaymentsBasic',
  'ReadScheduledPaymentsDetail',
  'ReadStandingOrdersBasic',
  'ReadStandingOrdersDetail',
  'ReadStatementsBasic',
  'ReadStatementsDetail',
  'ReadTransactionsBasic',
  'ReadTransactionsCredits',
  'ReadTransactionsDebits',
  'ReadTransactionsDetail',
] as const;

export type AccountPermission = (typeof ACCOUNT_PERMISSIONS)[number];

/** What a payment consent pays: shown to the PSU and bound by the authentication code. */
export interface PaymentSummary {
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly creditorName: string;
  readonly creditorScheme: string;
  readonly creditorIdentification: string;
  readonly reference: string | null;
  /** Set when the TPP named the debtor account; otherwise the PSU chooses it. */
  readonly debtorAccountId: string | null;
}

export interface Consent {
  readonly id: string;
  readonly kind: ConsentKind;
  readonly clientId: string;
  readonly status: ConsentStatus;
  readonly createdAt: Date;
  readonly statusUpdatedAt: Date;
  readonly permissions: AccountPermission[];
  readonly expiresAt: Date | null;
  readonly transactionFrom: Date | null;
  readonly transactionTo: Date | null;
  /** The standard's request payload as received (payment initiation, control parameters, risk). */
  readonly request: Record<string, unknown>;
  readonly psuId: string | null;
  readonly partyId: string | null;
  readonly accountIds: string[];
  readonly authorisedAt: Date | null;
  readonly revokedBy: 'TPP' | 'PSU' | null;
  readonly payment: PaymentSummary | null;
  /** The authorisation server grant the PSU authorised this consent under. */
  readonly grantId: string | null;
  /** Dynamic-linking binding of the payment the PSU authenticated (see sca-binding.ts). */
  readonly scaBinding: string | null;
}
