import type { ExposedAccount } from '../../../../modules/accounts/index.ts';
import type { DetailLevel } from '../../../../modules/consents/index.ts';

/** OB `OBExternalAccountSubType1Code` (ISO 20022 cash account type) of the core's sub-types. */
const ACCOUNT_TYPE_CODES: Record<string, string> = { CurrentAccount: 'CACC', Savings: 'SVGS' };

/**
 * OB v4.0 `OBAccount6`. Basic shows what the account is; Detail adds its identifications
 * (sort code and number, IBAN, with the holder's name) and the servicing bank (OB v4.0 AIS
 * profile, "Data clusters": `ReadAccountsDetail`).
 */
export function toObAccount(account: ExposedAccount, cluster: DetailLevel) {
  const identifications = [
    ...(account.sortCode && account.accountNumber
      ? [{ SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${account.sortCode}${account.accountNumber}` }]
      : []),
    ...(account.iban ? [{ SchemeName: 'UK.OBIE.IBAN', Identification: account.iban }] : []),
  ].map((identification) => ({ ...identification, ...(account.holderName ? { Name: account.holderName.slice(0, 350) } : {}) }));
  return {
    AccountId: account.accountRef,
    Status: account.status,
    StatusUpdateDateTime: account.openedAt.toISOString(),
    Currency: account.currency,
    AccountCategory: account.holderKind === 'Business' ? 'Business' : 'Personal',
    AccountTypeCode: ACCOUNT_TYPE_CODES[account.subType] ?? 'OTHR',
    Description: account.name.slice(0, 35),
    ...(account.nickname ? { Nickname: account.nickname.slice(0, 70) } : {}),
    OpeningDate: account.openedAt.toISOString(),
    ...(cluster === 'detail'
      ? {
          Account: identifications,
          ...(account.bic ? { Servicer: { SchemeName: 'UK.OBIE.BICFI', Identification: account.bic } } : {}),
        }
      : {}),
  };
}
