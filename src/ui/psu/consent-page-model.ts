import { formatAmount } from '../../core/index.ts';
import { accessScopeOf, scaBindingOf } from '../../modules/consents/index.ts';
import type { ConsentForPsu } from '../../modules/psu-authorisation/index.ts';
import { accountDescription } from './account-texts.ts';
import type { ConsentPageModel } from './consent-page.ts';
import { paymentScheduleText } from './payment-schedule-text.ts';
import { recurringPaymentSummaryOf } from './recurring-payment-summary.ts';

export interface ConsentPageContext {
  /** Where the form posts the decision. */
  readonly action: string;
  readonly legalName: string;
  readonly clientName: string;
  readonly error?: string | undefined;
  /** Accounts the PSU ticked before (a form shown again). */
  readonly chosen?: readonly string[] | undefined;
}

/**
 * What the consent screen shows of a consent the PSU may authorise, whichever standard it came
 * through: the data or payment asked for and the accounts it may use. An account is ticked when it
 * is the only one, when the PSU ticked it before, or when the provider named the accounts (or all
 * of them) so that there is nothing to choose.
 */
export function consentPageModel(described: ConsentForPsu, context: ConsentPageContext): ConsentPageModel {
  const { consent, eligibleAccounts } = described;
  const payment = consent.payment;
  const chosen = new Set(context.chosen ?? []);
  const access = accessScopeOf(consent);
  const providerChose = consent.kind === 'account-access' && access.accounts !== 'psu-selects';
  return {
    action: context.action,
    tppLegalName: context.legalName,
    clientName: context.clientName,
    access,
    expiresAt: consent.expiresAt,
    accounts: eligibleAccounts.map((a) => ({ id: a.id, displayName: a.nickname ?? a.name, description: accountDescription(a), preselected: providerChose || eligibleAccounts.length === 1 || chosen.has(a.id) })),
    payment: payment
      ? {
          amount: formatAmount(payment.amountMinor, payment.currency),
          currency: payment.currency,
          payee: payment.creditorName,
          payeeAccount: payment.creditorIdentification,
          payeeScheme: payment.creditorScheme,
          reference: payment.reference ?? undefined,
          when: payment.schedule ? paymentScheduleText(payment.schedule) : undefined,
        }
      : undefined,
    recurring: recurringPaymentSummaryOf(consent),
    // A file payment: the whole file is authorised at once (its total, its number of payments).
    paymentFile: payment?.file
      ? {
          numberOfPayments: payment.file.numberOfTransactions,
          total: formatAmount(payment.amountMinor, payment.currency),
          currency: payment.currency,
          reference: payment.reference ?? undefined,
          debtor: payment.debtorAccountId ? eligibleAccounts.find((a) => a.id === payment.debtorAccountId)?.name : undefined,
        }
      : undefined,
    binding: payment ? scaBindingOf(consent.id, payment) : undefined,
    fundsConfirmation: consent.kind === 'funds-confirmation',
    error: context.error,
  };
}
