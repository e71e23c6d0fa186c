import { isSupportedCurrency, parseAmount, type CoreBanking } from '../../core/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { Consent } from '../consents/index.ts';
import { PaymentErrors } from './payments.errors.ts';

/**
 * Whether the account the PSU chose for a VRP consent could pay `amount` now (OB v4.0
 * `POST /domestic-vrp-consents/{ConsentId}/funds-confirmation`): yes or no, never a balance.
 */
export async function confirmVrpFunds(
  core: Pick<CoreBanking, 'checkFunds'>,
  consent: Consent,
  amount: { readonly decimal: string; readonly currency: string },
  now: Date = new Date(),
): Promise<{ fundsAvailable: boolean; checkedAt: Date }> {
  const debtorAccountId = consent.accountIds[0];
  if (consent.kind !== 'domestic-vrp' || !debtorAccountId) throw new Error(`consent ${consent.id} is not an authorised VRP consent`);
  if (!isSupportedCurrency(amount.currency)) throw new AppError(PaymentErrors.CURRENCY_UNSUPPORTED, { details: [{ field: 'funds-check.amount.currency' }] });
  let amountMinor: bigint;
  try {
    amountMinor = parseAmount(amount.decimal, amount.currency);
  } catch {
    throw new AppError(PaymentErrors.AMOUNT_INVALID, { details: [{ field: 'funds-check.amount.value' }] });
  }
  return { fundsAvailable: await core.checkFunds(debtorAccountId, { amountMinor, currency: amount.currency }), checkedAt: now };
}

