import { parseAmount } from '../../core/index.ts';

/** An amount as a request states it: a decimal and its ISO 4217 currency. */
export interface StatedAmount {
  readonly decimal: string;
  readonly currency: string;
}

/** An account as a payment instruction names it: a scheme and an identification under it. */
export interface InstructedAccount {
  readonly scheme: string;
  readonly identification: string;
  readonly name?: string | undefined;
}

/**
 * What a payment instruction says, in no standard's terms, as a facade reads it from a request:
 * the money, who pays whom, the remittance, and when (a date or a standing order's rhythm), the
 * foreign-exchange terms of an international payment and the file of a bulk payment.
 */
export interface PaymentInstructionFields {
  readonly amount?: StatedAmount | undefined;
  readonly creditor?: InstructedAccount | undefined;
  readonly debtor?: InstructedAccount | undefined;
  readonly remittance?: { readonly reference?: string | undefined; readonly unstructured?: readonly string[] | undefined } | undefined;
  readonly schedule?:
    | {
        readonly executeAt?: string | undefined;
        readonly firstPaymentAt?: string | undefined;
        readonly recurringPaymentAt?: string | undefined;
        readonly finalPaymentAt?: string | undefined;
        readonly frequency?: string | undefined;
        readonly numberOfPayments?: string | undefined;
        readonly recurringAmount?: StatedAmount | undefined;
        readonly finalAmount?: StatedAmount | undefined;
      }
    | undefined;
  readonly fx?:
    | { readonly currencyOfTransfer?: string | undefined; readonly rateType?: string | undefined; readonly rate?: string | undefined; readonly unitCurrency?: string | undefined; readonly contractId?: string | undefined }
    | undefined;
  readonly file?: { readonly hash?: string | undefined; readonly numberOfTransactions?: string | undefined; readonly controlSum?: string | undefined; readonly type?: string | undefined } | undefined;
}

/** An amount in minor units when its decimal is one its currency has; otherwise as stated (it then equals only the same statement). */
function canonicalAmount(amount: StatedAmount | undefined): unknown {
  if (!amount) return undefined;
  try {
    return { minor: parseAmount(amount.decimal, amount.currency).toString(), currency: amount.currency };
  } catch {
    return { stated: amount.decimal, currency: amount.currency };
  }
}

/** A date-time as the instant it names, so two spellings of one instant are one date. */
function canonicalInstant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** A plain value with its members in one order and no absent (or empty) members, for comparison. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, member]) => [key, canonical(member)] as const)
    .filter(([, member]) => member !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/**
 * A payment instruction as a value: money in minor units, accounts, remittance, schedule (instants),
 * FX terms and file. Two instructions are equal when they pay the same, whatever the spelling of
 * their amounts and dates or the order of their members: the rule a payment submitted under a
 * consent follows (it must be exactly the instruction the PSU authorised).
 */
export class PaymentInstruction {
  private readonly key: string;

  private constructor(readonly fields: PaymentInstructionFields) {
    const { amount, schedule, ...rest } = fields;
    const normalised = {
      ...rest,
      amount: canonicalAmount(amount),
      schedule: schedule && {
        ...schedule,
        executeAt: canonicalInstant(schedule.executeAt),
        firstPaymentAt: canonicalInstant(schedule.firstPaymentAt),
        recurringPaymentAt: canonicalInstant(schedule.recurringPaymentAt),
        finalPaymentAt: canonicalInstant(schedule.finalPaymentAt),
        recurringAmount: canonicalAmount(schedule.recurringAmount),
        finalAmount: canonicalAmount(schedule.finalAmount),
      },
    };
    this.key = JSON.stringify(canonical(normalised) ?? {});
  }

  static of(fields: PaymentInstructionFields): PaymentInstruction {
    return new PaymentInstruction(fields);
  }

  equals(other: PaymentInstruction): boolean {
    return this.key === other.key;
  }
}

/**
 * A submission under a payment consent beside the consent: the instruction each states, and
 * whether the standard's own parts of the submission that no instruction models (OB: the rest of
 * Initiation, and Risk) are exactly the consent request's, as the standard's facade compared them.
 */
export interface ConsentMatch {
  readonly submitted: PaymentInstruction;
  readonly consented: PaymentInstruction;
  readonly echoMatches: boolean;
}

/** Whether a submission pays exactly what the PSU authorised: the same instruction, and the standard's echo rule kept. */
export function matchesConsent(match: ConsentMatch): boolean {
  return match.echoMatches && match.submitted.equals(match.consented);
}
