import { isDeepStrictEqual } from 'node:util';
import { PaymentInstruction, type ConsentMatch, type InstructedAccount, type StatedAmount } from '../../../../modules/consents/index.ts';

/** The members of an OB v4.0 payment Initiation (any kind: domestic, scheduled, standing order, international, file, VRP) the neutral instruction reads. */
interface ObInitiationParts {
  readonly InstructedAmount?: ObAmount;
  readonly FirstPaymentAmount?: ObAmount;
  readonly RecurringPaymentAmount?: ObAmount;
  readonly FinalPaymentAmount?: ObAmount;
  readonly CreditorAccount?: ObAccount;
  readonly DebtorAccount?: ObAccount;
  readonly RemittanceInformation?: {
    readonly Structured?: ReadonlyArray<{ readonly CreditorReferenceInformation?: { readonly Reference?: string } }>;
    readonly Unstructured?: readonly string[];
  };
  readonly RequestedExecutionDateTime?: string;
  readonly NumberOfPayments?: string;
  readonly MandateRelatedInformation?: {
    readonly FirstPaymentDateTime?: string;
    readonly RecurringPaymentDateTime?: string;
    readonly FinalPaymentDateTime?: string;
    readonly Frequency?: { readonly Type?: string };
  };
  readonly CurrencyOfTransfer?: string;
  readonly ExchangeRateInformation?: { readonly UnitCurrency?: string; readonly ExchangeRate?: number; readonly RateType?: string; readonly ContractIdentification?: string };
  readonly FileType?: string;
  readonly FileHash?: string;
  readonly NumberOfTransactions?: string;
  readonly ControlSum?: number;
}

interface ObAmount {
  readonly Amount: string;
  readonly Currency: string;
}

interface ObAccount {
  readonly SchemeName: string;
  readonly Identification: string;
  readonly Name?: string;
}

const amountOf = (amount: ObAmount | undefined): StatedAmount | undefined => (amount ? { decimal: amount.Amount, currency: amount.Currency } : undefined);
const accountOf = (account: ObAccount | undefined): InstructedAccount | undefined =>
  account ? { scheme: account.SchemeName, identification: account.Identification, name: account.Name } : undefined;

/** The neutral payment instruction an OB v4.0 Initiation states. */
export function obPaymentInstructionOf(initiation: unknown): PaymentInstruction {
  const i = (initiation ?? {}) as ObInitiationParts;
  const mandate = i.MandateRelatedInformation;
  const rate = i.ExchangeRateInformation;
  return PaymentInstruction.of({
    amount: amountOf(i.InstructedAmount ?? i.FirstPaymentAmount),
    creditor: accountOf(i.CreditorAccount),
    debtor: accountOf(i.DebtorAccount),
    remittance: {
      reference: i.RemittanceInformation?.Structured?.find((s) => s.CreditorReferenceInformation?.Reference)?.CreditorReferenceInformation?.Reference,
      unstructured: i.RemittanceInformation?.Unstructured,
    },
    schedule: {
      executeAt: i.RequestedExecutionDateTime,
      firstPaymentAt: mandate?.FirstPaymentDateTime,
      recurringPaymentAt: mandate?.RecurringPaymentDateTime,
      finalPaymentAt: mandate?.FinalPaymentDateTime,
      frequency: mandate?.Frequency?.Type,
      numberOfPayments: i.NumberOfPayments,
      recurringAmount: amountOf(i.RecurringPaymentAmount),
      finalAmount: amountOf(i.FinalPaymentAmount),
    },
    fx: {
      currencyOfTransfer: i.CurrencyOfTransfer,
      rateType: rate?.RateType,
      rate: rate?.ExchangeRate === undefined ? undefined : String(rate.ExchangeRate),
      unitCurrency: rate?.UnitCurrency,
      contractId: rate?.ContractIdentification,
    },
    file: {
      type: i.FileType,
      hash: i.FileHash,
      numberOfTransactions: i.NumberOfTransactions,
      controlSum: i.ControlSum === undefined ? undefined : String(i.ControlSum),
    },
  });
}

/**
 * OB v4.0's echo rule beyond the instruction: the submission's sections are exactly the consent
 * request's, field for field (member order aside), including what the neutral instruction does
 * not model (identifications, local instrument, Risk, supplementary data). OB: "the Initiation and
 * Risk sections of the [payment] match the corresponding sections of the [payment]-consent".
 */
function obEchoMatches(submitted: ObEchoedSections, consented: ObEchoedSections): boolean {
  return isDeepStrictEqual(submitted, consented);
}

/** The sections of an OB v4.0 payment request the echo rule covers: its Initiation and, where the resource has one, Risk. */
interface ObEchoedSections {
  readonly Initiation: unknown;
  readonly Risk?: unknown;
}

/** An OB v4.0 submission beside its consent's request: the instruction each states and the echo rule (`obEchoMatches`). */
export function obConsentMatch(submitted: ObEchoedSections, consented: ObEchoedSections): ConsentMatch {
  return {
    submitted: obPaymentInstructionOf(submitted.Initiation),
    consented: obPaymentInstructionOf(consented.Initiation),
    echoMatches: obEchoMatches(submitted, consented),
  };
}
