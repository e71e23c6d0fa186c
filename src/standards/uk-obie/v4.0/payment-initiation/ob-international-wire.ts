import type { ExchangeRateTerms, RateType } from '../../../../core/fx/index.ts';
import type { InternationalPaymentTerms } from '../../../../modules/payments/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { domesticTermsOf, type ObDomesticInitiation } from './ob-payment-wire.ts';

/** The Initiation of an international payment (consent and submission alike), as validated (OBWriteInternationalConsent5). */
export interface ObInternationalInitiation extends ObDomesticInitiation {
  readonly CurrencyOfTransfer: string;
  readonly ExchangeRateInformation?: {
    readonly UnitCurrency: string;
    readonly ExchangeRate?: number;
    readonly RateType: RateType;
    readonly ContractIdentification?: string;
  };
}

/** The neutral terms of an OB international Initiation: the domestic ones, the transfer currency and the rate asked for. */
export function internationalTermsOf(
  initiation: Pick<ObInternationalInitiation, 'InstructedAmount' | 'CreditorAccount' | 'DebtorAccount' | 'RemittanceInformation' | 'CurrencyOfTransfer' | 'ExchangeRateInformation'>,
): InternationalPaymentTerms {
  const rate = initiation.ExchangeRateInformation;
  return {
    ...domesticTermsOf(initiation),
    currencyOfTransfer: initiation.CurrencyOfTransfer,
    exchangeRate: rate
      ? {
          rateType: rate.RateType,
          unitCurrency: rate.UnitCurrency,
          // A JSON number: its shortest decimal text, exact for the up to 15 digits a rate has.
          exchangeRate: rate.ExchangeRate === undefined ? undefined : String(rate.ExchangeRate),
          contractIdentification: rate.ContractIdentification,
        }
      : undefined,
  };
}

/** `ExchangeRateInformation` of a response (OB v4.0, OBWriteInternationalConsentResponse6 / OBWriteInternationalResponse5). */
export function obExchangeRateInformation(terms: ExchangeRateTerms | undefined) {
  if (!terms) return {};
  return {
    ExchangeRateInformation: {
      UnitCurrency: terms.unitCurrency,
      ExchangeRate: Number(terms.rate),
      RateType: terms.rateType,
      ...(terms.contractIdentification ? { ContractIdentification: terms.contractIdentification } : {}),
      ...(terms.expiresAt ? { ExpirationDateTime: obDateTime(terms.expiresAt) } : {}),
    },
  };
}
