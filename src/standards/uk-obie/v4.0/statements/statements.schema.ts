import type { AccountTransaction, Statement } from '../../../../core/index.ts';
import { formatAmount } from '../../../../core/index.ts';
import type { Exposed } from '../../../../modules/accounts/index.ts';
import { creditDebitOf, obAmount } from '../account-information/ob-amounts.ts';
import type { DetailLevel } from '../../../../modules/consents/index.ts';

/**
 * OB v4.0 `OBStatement2`. Basic names the statement and its period; Detail adds its amounts
 * (opening and closing balance, total credits and debits) and counts (OB v4.0 AIS profile, "Data
 * clusters": `ReadStatementsDetail`).
 */
export function toObStatement(s: Exposed<Statement>, cluster: DetailLevel) {
  const amount = (type: string, minor: bigint, indicator: 'Credit' | 'Debit' = creditDebitOf(minor)) => ({
    CreditDebitIndicator: indicator,
    Type: type,
    Amount: obAmount(minor, s.currency),
  });
  return {
    AccountId: s.accountRef,
    StatementId: s.id,
    Type: s.type,
    StartDateTime: s.startAt.toISOString(),
    EndDateTime: s.endAt.toISOString(),
    CreationDateTime: s.createdAt.toISOString(),
    ...(cluster === 'detail'
      ? {
          StatementAmount: [
            amount('UK.OBIE.PreviousClosingBalance', s.openingBalanceMinor),
            amount('UK.OBIE.ClosingBalance', s.closingBalanceMinor),
            amount('UK.OBIE.TotalCredits', s.totalCreditsMinor, 'Credit'),
            amount('UK.OBIE.TotalDebits', s.totalDebitsMinor, 'Debit'),
          ],
          StatementValue: [
            { Value: String(s.creditCount), Type: 'UK.OBIE.Credits' },
            { Value: String(s.debitCount), Type: 'UK.OBIE.Debits' },
          ],
        }
      : {}),
  };
}

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The statement file as CSV (RFC 4180): one line per transaction, signed amounts. */
export function statementCsv(transactions: readonly AccountTransaction[]): string {
  const lines = [['BookingDateTime', 'ValueDateTime', 'Description', 'Reference', 'Amount', 'Currency', 'Status'].join(',')];
  for (const t of transactions) {
    const signed = t.creditDebit === 'Debit' ? -t.amount.amountMinor : t.amount.amountMinor;
    lines.push(
      [t.bookingAt.toISOString(), t.valueAt.toISOString(), t.description, t.reference ?? '', formatAmount(signed, t.amount.currency), t.amount.currency, t.status]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
