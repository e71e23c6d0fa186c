import type { AccountRef, AmountRef, FieldRef } from '../../../../platform/errors/index.ts';

/** Where each money field sits in an OB v4.0 body (`OBActiveOrHistoricCurrencyAndAmount`: Amount, Currency). */
const AMOUNTS: Record<AmountRef, string> = {
  'instruction.amount': 'Data.Initiation.InstructedAmount',
  'instruction.schedule.first-amount': 'Data.Initiation.FirstPaymentAmount',
  'instruction.schedule.recurring-amount': 'Data.Initiation.RecurringPaymentAmount',
  'instruction.schedule.final-amount': 'Data.Initiation.FinalPaymentAmount',
  'order.amount': 'Data.Instruction.InstructedAmount',
  'funds-check.amount': 'Data.InstructedAmount',
  'controls.max-single': 'Data.ControlParameters.MaximumIndividualAmount',
  // A periodic limit carries its Amount and Currency itself.
  'controls.periodic-limits[].amount': 'Data.ControlParameters.PeriodicLimits[]',
};

/** Where each account identifier sits (`OBCashAccount`: SchemeName, Identification). */
const ACCOUNTS: Record<AccountRef, string> = {
  'instruction.creditor.account': 'Data.Initiation.CreditorAccount',
  'instruction.debtor.account': 'Data.Initiation.DebtorAccount',
  'order.creditor.account': 'Data.Instruction.CreditorAccount',
  'funds.account': 'Data.DebtorAccount',
};

const MANDATE = 'Data.Initiation.MandateRelatedInformation';
const CONTROLS = 'Data.ControlParameters';

const OTHERS: Record<Exclude<FieldRef, `${AmountRef}.${string}` | AccountRef | `${AccountRef}.${string}`>, string> = {
  'consent-id': 'Data.ConsentId',
  'consent.expires-at': 'Data.ExpirationDateTime',
  'access.clusters': 'Data.Permissions',
  'access.window.from': 'Data.TransactionFromDateTime',
  instruction: 'Data.Initiation',
  'instruction.fx': 'Data.Initiation.ExchangeRateInformation',
  'instruction.schedule.execute-at': 'Data.Initiation.RequestedExecutionDateTime',
  'instruction.schedule.first-date': `${MANDATE}.FirstPaymentDateTime`,
  'instruction.schedule.recurring-date': `${MANDATE}.RecurringPaymentDateTime`,
  'instruction.schedule.final-date': `${MANDATE}.FinalPaymentDateTime`,
  'instruction.schedule.count': 'Data.Initiation.NumberOfPayments',
  'instruction.schedule.frequency': `${MANDATE}.Frequency.Type`,
  'instruction.file.hash': 'Data.Initiation.FileHash',
  'instruction.file.count': 'Data.Initiation.NumberOfTransactions',
  'instruction.file.control-sum': 'Data.Initiation.ControlSum',
  order: 'Data.Instruction',
  'controls.periodic-limits[].period': `${CONTROLS}.PeriodicLimits[].PeriodType`,
  'controls.periodic-limits[].alignment': `${CONTROLS}.PeriodicLimits[].PeriodAlignment`,
  'controls.valid-from': `${CONTROLS}.ValidFromDateTime`,
  'controls.valid-to': `${CONTROLS}.ValidToDateTime`,
};

const LEAVES: Record<string, string> = { value: 'Amount', currency: 'Currency', scheme: 'SchemeName', identification: 'Identification' };

function basePath(field: FieldRef): string {
  if (field in OTHERS) return OTHERS[field as keyof typeof OTHERS];
  if (field in ACCOUNTS) return ACCOUNTS[field as AccountRef];
  const dot = field.lastIndexOf('.');
  const parent = field.slice(0, dot);
  const parentPath = (AMOUNTS as Record<string, string>)[parent] ?? (ACCOUNTS as Record<string, string>)[parent];
  if (parentPath === undefined) throw new Error(`no OB path for ${field}`);
  return `${parentPath}.${LEAVES[field.slice(dot + 1)]}`;
}

/**
 * The OB v4.0 JSON path of a neutral field reference: `index` fills a list's position, and a
 * payment of a bulk (file) order is named at its place in the file, `Data.DomesticPayments[item]`.
 */
export function obPathOf(detail: { readonly field: FieldRef; readonly index?: number | undefined; readonly item?: number | undefined }): string {
  const path = basePath(detail.field).replace('[]', `[${detail.index ?? 0}]`);
  return detail.item === undefined ? path : path.replace(/^Data\.Initiation/, `Data.DomesticPayments[${detail.item}]`);
}
