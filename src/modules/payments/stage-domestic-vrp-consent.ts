import { isSupportedCurrency, parsePositiveAmount, type CoreBanking } from '../../core/index.ts';
import { AppError, type AmountRef, type FieldRef } from '../../platform/errors/index.ts';
import type { Consent, PaymentSummary } from '../consents/index.ts';
import { checkIdempotencyKey } from '../idempotency/index.ts';
import { checkAccountIdentification, namedDebtorAccountId } from './payment-accounts.ts';
import { PaymentErrors } from './payments.errors.ts';
import type { StagedRequest } from './stage-domestic-payment-consent.ts';
import type { VrpControls, VrpControlTerms, VrpPeriodAlignment, VrpPeriodType } from './vrp-model.ts';
import { VrpErrors } from './vrp.errors.ts';
import type { PaymentStores } from './payment-stores.ts';

export interface NewDomesticVrpConsent extends StagedRequest {
  readonly controls: VrpControlTerms;
  /** Set when the consent fixes the payee: every VRP under it must pay that account. */
  readonly creditor?: { readonly name: string; readonly scheme: string; readonly identification: string } | undefined;
  /** Set when the TPP names the account to debit; otherwise the PSU chooses it. */
  readonly debtor?: { readonly scheme: string; readonly identification: string } | undefined;
  readonly reference: string | null;
}

export interface StageDomesticVrpConsentDeps extends PaymentStores {
  readonly core: Pick<CoreBanking, 'findAccountByIdentifier'>;
}

/** Idempotency scope of `POST /domestic-vrp-consents`. */
export const DOMESTIC_VRP_CONSENTS_OPERATION = 'domestic-vrp-consents';

const PERIOD_TYPES: readonly string[] = ['Day', 'Week', 'Fortnight', 'Month', 'Half-year', 'Year'] satisfies VrpPeriodType[];
const ALIGNMENTS: readonly string[] = ['Consent', 'Calendar'] satisfies VrpPeriodAlignment[];

function amountOf(decimal: string, currency: string, field: AmountRef, index?: number): bigint {
  const minor = parsePositiveAmount(decimal, currency);
  if (minor === undefined) throw new AppError(PaymentErrors.AMOUNT_INVALID, { details: [{ field: `${field}.value`, index }] });
  return minor;
}

function dateOf(value: string | undefined, field: FieldRef): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new AppError(VrpErrors.VALIDITY_INVALID, { details: [{ field }] });
  return date;
}

/**
 * A VRP consent's control parameters in the neutral model, checked for what a schema cannot say:
 * amounts positive with their currency's decimals, one currency the bank handles for the maximum
 * and every periodic limit, known period types and alignments (OB: a Fortnight is Consent-aligned
 * only), and a validity window that is not empty. Also how each VRP reads the consent's controls.
 */
export function vrpControlsOf(terms: VrpControlTerms): VrpControls {
  const currency = terms.maximumIndividual.currency;
  if (!isSupportedCurrency(currency)) throw new AppError(PaymentErrors.CURRENCY_UNSUPPORTED, { details: [{ field: 'controls.max-single.currency' }] });
  const maximum = amountOf(terms.maximumIndividual.decimal, currency, 'controls.max-single');
  const periodicLimits = terms.periodicLimits.map((limit, i) => {
    if (limit.currency !== currency) throw new AppError(VrpErrors.CONTROL_PARAMETERS_INVALID, { details: [{ field: 'controls.periodic-limits[].amount.currency', index: i, message: 'Every limit is in the currency of MaximumIndividualAmount' }] });
    if (!PERIOD_TYPES.includes(limit.periodType)) throw new AppError(VrpErrors.CONTROL_PARAMETERS_INVALID, { details: [{ field: 'controls.periodic-limits[].period', index: i }] });
    if (!ALIGNMENTS.includes(limit.alignment) || (limit.periodType === 'Fortnight' && limit.alignment === 'Calendar')) {
      throw new AppError(VrpErrors.CONTROL_PARAMETERS_INVALID, { details: [{ field: 'controls.periodic-limits[].alignment', index: i, message: 'A Fortnight is aligned to the consent' }] });
    }
    return { periodType: limit.periodType as VrpPeriodType, alignment: limit.alignment as VrpPeriodAlignment, amountMinor: amountOf(limit.decimal, currency, 'controls.periodic-limits[].amount', i), currency };
  });
  const validFrom = dateOf(terms.validFrom, 'controls.valid-from');
  const validTo = dateOf(terms.validTo, 'controls.valid-to');
  if (validFrom && validTo && validTo <= validFrom) throw new AppError(VrpErrors.VALIDITY_INVALID, { details: [{ field: 'controls.valid-to' }] });
  return { validFrom, validTo, maximumIndividual: { amountMinor: maximum, currency }, periodicLimits };
}

/**
 * Stages a domestic VRP consent (AwaitingAuthorisation) for the PSU to authorise. The control
 * parameters are checked (`vrpControlsOf`) and a validity that has already ended is refused; the
 * consent expires at `ValidToDateTime`. The neutral summary the PSU is shown and authenticates
 * (dynamic linking) is the largest single payment, the periodic limits, the validity, the payee
 * when the consent fixes one, and the reference.
 * Idempotent by the request's key (src/modules/idempotency).
 */
export async function stageDomesticVrpConsent(deps: StageDomesticVrpConsentDeps, input: NewDomesticVrpConsent, now: Date = new Date()): Promise<Consent> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  const controls = vrpControlsOf(input.controls);
  if (controls.validTo && controls.validTo <= now) throw new AppError(VrpErrors.VALIDITY_INVALID, { details: [{ field: 'controls.valid-to' }] });
  const creditor = input.creditor ? checkAccountIdentification(input.creditor.scheme, input.creditor.identification, 'instruction.creditor.account') : undefined;
  const debtorAccountId = await namedDebtorAccountId(deps.core, input.debtor);
  // With no payee in the consent, the summary's payee is empty: each VRP names its own.
  const payment: PaymentSummary = {
    amountMinor: controls.maximumIndividual.amountMinor,
    currency: controls.maximumIndividual.currency,
    creditorName: input.creditor?.name ?? '',
    creditorScheme: creditor?.scheme ?? '',
    creditorIdentification: creditor?.identification ?? '',
    reference: input.reference,
    debtorAccountId,
    controls: {
      validFrom: controls.validFrom,
      validTo: controls.validTo,
      periodicLimits: controls.periodicLimits.map(({ periodType, alignment, amountMinor }) => ({ periodType, alignment, amountMinor })),
    },
  };
  const outcome = await deps.idempotency.withIdempotency(
    { clientId: input.clientId, operation: DOMESTIC_VRP_CONSENTS_OPERATION, key, requestHash: input.requestHash, alongside: input.alongside },
    async (tx) => deps.consents.insert(tx, { kind: 'domestic-vrp', clientId: input.clientId, payment, expiresAt: controls.validTo ?? undefined }, now),
    now,
  );
  const consent = await deps.consents.find(outcome.resourceId, now);
  if (!consent) throw new Error(`consent ${outcome.resourceId} created under an idempotency key is gone`);
  return consent;
}
