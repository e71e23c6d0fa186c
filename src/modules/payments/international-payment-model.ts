import type { RateType } from '../../core/fx/index.ts';
import type { DomesticPaymentTerms } from './payment-model.ts';
import type { DomesticStandingOrderTerms } from './stage-scheduled-payment-consents.ts';

/**
 * The home currency of the bank: the other side of an exchange whose debtor account is not yet
 * known (the PSU chooses it at authorisation). Every sandbox account the PSU may choose is GBP;
 * a submission from an account in another currency is refused unless the rate converts into it.
 */
export const HOME_CURRENCY = 'GBP';

/** What the TPP asks to pay abroad, in neutral terms: a domestic payment's, plus the transfer currency and the rate asked for. */
export interface InternationalPaymentTerms extends DomesticPaymentTerms {
  /** OB `CurrencyOfTransfer`: the currency the creditor is paid in; the instructed amount is in it or in the debtor account's currency. */
  readonly currencyOfTransfer: string;
  /** OB `ExchangeRateInformation` (OBExchangeRate1); absent: an Indicative rate. */
  readonly exchangeRate?:
    | {
        readonly rateType: RateType;
        readonly unitCurrency: string;
        readonly exchangeRate?: string | undefined;
        readonly contractIdentification?: string | undefined;
      }
    | undefined;
}


/** An international standing order's terms: a domestic order's (one amount, `firstAmount`, for every instalment) and the transfer currency. */
export interface InternationalStandingOrderTerms extends DomesticStandingOrderTerms {
  /**
   * OB `CurrencyOfTransfer`. An amount instructed in it is converted into the debtor account's
   * currency at each instalment; one instructed in the debtor account's currency is debited as it is.
   */
  readonly currencyOfTransfer: string;
}
