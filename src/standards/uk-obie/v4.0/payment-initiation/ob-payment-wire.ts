import type { PaymentAccount } from '../../../../modules/payments/index.ts';
import { PaymentErrors, type DomesticPaymentTerms } from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';

/** OB v4.0 `OBInternalAccountIdentification4Code` of the schemes the bank pays to and from, and back. */
const SCHEMES: Readonly<Record<string, PaymentAccount['scheme']>> = {
  'UK.OBIE.SortCodeAccountNumber': 'SortCodeAccountNumber',
  'UK.OBIE.IBAN': 'IBAN',
};
const OB_SCHEMES: Readonly<Record<PaymentAccount['scheme'], string>> = {
  SortCodeAccountNumber: 'UK.OBIE.SortCodeAccountNumber',
  IBAN: 'UK.OBIE.IBAN',
};

/** An OB account of a request (`OBCashAccountCreditor`/`Debtor` as the schema guarantees it). */
export interface ObAccountIdentification {
  readonly SchemeName: string;
  readonly Identification: string;
  readonly Name?: string;
}

/** The Initiation of a domestic payment (consent and submission alike), as validated. */
export interface ObDomesticInitiation {
  readonly InstructionIdentification: string;
  readonly EndToEndIdentification: string;
  readonly LocalInstrument?: string;
  readonly InstructedAmount: { readonly Amount: string; readonly Currency: string };
  readonly DebtorAccount?: ObAccountIdentification;
  readonly CreditorAccount: ObAccountIdentification & { readonly Name: string };
  readonly RemittanceInformation?: {
    readonly Structured?: ReadonlyArray<{ readonly CreditorReferenceInformation?: { readonly Reference?: string } }>;
    readonly Unstructured?: readonly string[];
  };
  readonly [field: string]: unknown;
}

/** The neutral scheme of an OB account identification; an unsupported one is refused (`path` names the field). */
export function schemeOf(account: ObAccountIdentification, path: string): PaymentAccount['scheme'] {
  const scheme = SCHEMES[account.SchemeName];
  if (!scheme) throw new AppError(PaymentErrors.ACCOUNT_SCHEME_UNSUPPORTED, { details: [{ path: `${path}.SchemeName` }] });
  return scheme;
}

/**
 * The neutral terms of an OB domestic Initiation. The creditor's reference for statements is the
 * structured creditor reference, else the first unstructured remittance line.
 */
export function domesticTermsOf(initiation: Pick<ObDomesticInitiation, 'InstructedAmount' | 'CreditorAccount' | 'DebtorAccount' | 'RemittanceInformation'>): DomesticPaymentTerms {
  const remittance = initiation.RemittanceInformation;
  const reference = remittance?.Structured?.find((s) => s.CreditorReferenceInformation?.Reference)?.CreditorReferenceInformation?.Reference ?? remittance?.Unstructured?.[0] ?? null;
  const debtor = initiation.DebtorAccount;
  return {
    amount: { decimal: initiation.InstructedAmount.Amount, currency: initiation.InstructedAmount.Currency },
    creditor: {
      name: initiation.CreditorAccount.Name,
      scheme: schemeOf(initiation.CreditorAccount, 'Data.Initiation.CreditorAccount'),
      identification: initiation.CreditorAccount.Identification,
    },
    debtor: debtor ? { scheme: schemeOf(debtor, 'Data.Initiation.DebtorAccount'), identification: debtor.Identification } : undefined,
    reference,
  };
}

/** OB `OBCashAccountDebtor4` (and the refund account): the debtor account, its scheme in OB names. */
export function obDebtorAccount(account: PaymentAccount): { SchemeName: string; Identification: string; Name?: string } {
  return { SchemeName: OB_SCHEMES[account.scheme], Identification: account.identification, ...(account.name ? { Name: account.name.slice(0, 350) } : {}) };
}

/** The idempotency key header as received (OB v4.0 `x-idempotency-key`). */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | string[] | undefined {
  return headers['x-idempotency-key'];
}
