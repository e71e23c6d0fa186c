import type { Beneficiary } from '../../../../core/index.ts';
import type { Exposed } from '../../../../modules/accounts/index.ts';
import { obCashAccount } from '../account-information/ob-amounts.ts';
import type { DetailLevel } from '../../../../modules/consents/index.ts';

/** OB v4.0 `OBBeneficiary5`; the payee's account only with `ReadBeneficiariesDetail`. */
export function toObBeneficiary(b: Exposed<Beneficiary>, cluster: DetailLevel) {
  return {
    AccountId: b.accountRef,
    BeneficiaryId: b.id,
    BeneficiaryType: b.type,
    ...(b.reference ? { Reference: b.reference.slice(0, 35) } : {}),
    ...(cluster === 'detail' ? { CreditorAccount: obCashAccount(b.creditorScheme, b.creditorIdentification, b.creditorName) } : {}),
  };
}
