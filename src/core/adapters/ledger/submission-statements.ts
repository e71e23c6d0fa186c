import { ledgerSchemeOf } from '../../ledger-account-scheme.ts';
import type { PaymentSubmission, StatementDetails } from '../../ports/index.ts';

/**
 * The statement lines of a submitted payment: the debtor's (issued credit transfer) and, when it is
 * paid on us, the creditor's (received); a payment leaving the bank credits the clearing account,
 * which has no statement.
 */
export function submissionStatements(submission: PaymentSubmission): { debtor: StatementDetails; creditor: StatementDetails | undefined } {
  const { debtor, creditor } = submission;
  const creditorName = creditor.name ?? 'a payee';
  return {
    debtor: {
      description: `Payment to ${creditorName}`.slice(0, 500),
      reference: submission.reference,
      bankTransactionCode: 'IssuedCreditTransfers',
      bankTransactionSubcode: 'DomesticCreditTransfer',
      counterpartyName: creditorName,
      counterpartyScheme: creditor.scheme === undefined ? undefined : ledgerSchemeOf(creditor.scheme),
      counterpartyIdentification: creditor.identification,
    },
    creditor: creditor.accountId === undefined
      ? undefined
      : {
          description: `Payment from ${debtor.name ?? 'a customer'}`.slice(0, 500),
          reference: submission.reference,
          bankTransactionCode: 'ReceivedCreditTransfers',
          bankTransactionSubcode: 'DomesticCreditTransfer',
          ...(debtor.identification
            ? {
                counterpartyName: debtor.name,
                counterpartyScheme: debtor.scheme === undefined ? undefined : ledgerSchemeOf(debtor.scheme),
                counterpartyIdentification: debtor.identification,
              }
            : {}),
        },
  };
}
