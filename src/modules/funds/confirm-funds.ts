import { randomUUID } from 'node:crypto';
import { isSupportedCurrency, parsePositiveAmount, type CoreBanking } from '../../core/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { Consent } from '../consents/index.ts';
import type { FundsCheck, FundsConfirmation } from './funds-model.ts';
import { FundsErrors } from './funds.errors.ts';

/**
 * Whether the account of an authorised funds-confirmation consent could pay the amount now: the
 * core's available balance with any arranged overdraft (PSD2 Art. 65: a yes or no, never the
 * balance). `consent` is the one the PSU's token was issued for (checked Authorised and unexpired
 * by the resource pipeline); the request must name that very consent.
 */
export async function confirmFunds(core: Pick<CoreBanking, 'getAccount' | 'checkFunds'>, consent: Consent, check: FundsCheck, now: Date = new Date()): Promise<FundsConfirmation> {
  if (check.consentId !== consent.id) throw new AppError(FundsErrors.CONSENT_NOT_OF_TOKEN, { details: [{ field: 'consent-id' }] });
  const accountId = consent.accountIds[0];
  if (consent.kind !== 'funds-confirmation' || !accountId) throw new Error(`consent ${consent.id} is not an authorised funds-confirmation consent`);
  const account = await core.getAccount(accountId);
  // An account gone from the core since the PSU authorised cannot pay anything.
  if (!account) return { id: `fc-${randomUUID()}`, consent, fundsAvailable: false, checkedAt: now };
  const { decimal, currency } = check.amount;
  // Same answer whether the bank handles no such currency or the account is in another one.
  if (!isSupportedCurrency(currency) || account.currency !== currency) {
    throw new AppError(FundsErrors.CURRENCY_MISMATCH, { details: [{ field: 'funds-check.amount.currency' }] });
  }
  const amountMinor = parsePositiveAmount(decimal, currency);
  if (amountMinor === undefined) throw new AppError(FundsErrors.AMOUNT_INVALID, { details: [{ field: 'funds-check.amount.value' }] });
  const fundsAvailable = await core.checkFunds(accountId, { amountMinor, currency });
  return { id: `fc-${randomUUID()}`, consent, fundsAvailable, checkedAt: now };
}
