import { isValidIban, type AccountScheme, type CoreBanking } from '../../core/index.ts';
import { AppError, type AccountRef } from '../../platform/errors/index.ts';
import type { PaymentAccount } from './payment-model.ts';
import { PaymentErrors } from './payments.errors.ts';

const SCHEMES: readonly string[] = ['SortCodeAccountNumber', 'IBAN'] satisfies AccountScheme[];

/**
 * A scheme and identification the bank can pay to or from, in canonical form (no spaces, IBAN in
 * capitals): a UK sort code and account number (14 digits) or a valid IBAN. `account` names the field.
 */
export function checkAccountIdentification(scheme: string, identification: string, account: AccountRef): { scheme: AccountScheme; identification: string } {
  if (!SCHEMES.includes(scheme)) throw new AppError(PaymentErrors.ACCOUNT_SCHEME_UNSUPPORTED, { details: [{ field: `${account}.scheme` }] });
  const compact = identification.replace(/[\s-]/g, '').toUpperCase();
  const valid = scheme === 'IBAN' ? isValidIban(compact) : /^\d{14}$/.test(compact);
  if (!valid) throw new AppError(PaymentErrors.ACCOUNT_IDENTIFICATION_INVALID, { details: [{ field: `${account}.identification` }] });
  return { scheme: scheme as AccountScheme, identification: compact };
}

/**
 * The bank's account a consent names as its debtor (OB `DebtorAccount`, optional: the PSU may
 * choose one at authorisation instead), or null when it names none; an account the bank does not
 * hold is refused.
 */
export async function namedDebtorAccountId(core: Pick<CoreBanking, 'findAccountByIdentifier'>, named: { readonly scheme: string; readonly identification: string } | undefined): Promise<string | null> {
  if (!named) return null;
  const debtor = checkAccountIdentification(named.scheme, named.identification, 'instruction.debtor.account');
  const account = await core.findAccountByIdentifier(debtor.scheme, debtor.identification);
  if (!account) throw new AppError(PaymentErrors.DEBTOR_ACCOUNT_UNKNOWN, { details: [{ field: 'instruction.debtor.account.identification' }] });
  return account.id;
}

/**
 * The parties of a payment as the core knows them, both read at once: how the debtor's account is
 * identified to others (`describeAccount`), and the bank's own account the creditor's identification
 * names — null when the payment leaves the bank.
 */
export async function readPaymentParties(
  core: Pick<CoreBanking, 'getAccountOverviews' | 'findAccountByIdentifier'>,
  debtorAccountId: string,
  creditor: { readonly creditorScheme: string; readonly creditorIdentification: string },
): Promise<{ readonly debtor: PaymentAccount | null; readonly creditorAccountId: string | null }> {
  const [debtor, creditorAccount] = await Promise.all([
    describeAccount(core, debtorAccountId),
    core.findAccountByIdentifier(creditor.creditorScheme as AccountScheme, creditor.creditorIdentification),
  ]);
  return { debtor, creditorAccountId: creditorAccount?.id ?? null };
}

/** How the bank identifies one of its accounts to others (sort code and number, else IBAN), with the holder's name. */
export async function describeAccount(core: Pick<CoreBanking, 'getAccountOverviews'>, accountId: string): Promise<PaymentAccount | null> {
  const overview = (await core.getAccountOverviews([accountId])).get(accountId);
  if (!overview) return null;
  const { account, holders } = overview;
  const name = (holders.find((h) => h.role === 'Owner') ?? holders[0])?.party.fullLegalName ?? null;
  if (account.sortCode && account.accountNumber) return { scheme: 'SortCodeAccountNumber', identification: `${account.sortCode}${account.accountNumber}`, name };
  if (account.iban) return { scheme: 'IBAN', identification: account.iban, name };
  return null;
}
