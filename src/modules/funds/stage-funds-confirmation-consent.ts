import { isValidIban, type AccountScheme, type CoreBanking } from '../../core/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { Consent, ConsentsApi } from '../consents/index.ts';
import type { FundsAccountIdentification, NewFundsConfirmationConsent } from './funds-model.ts';
import { FundsErrors } from './funds.errors.ts';

export interface StageFundsConfirmationConsentDeps {
  readonly consents: Pick<ConsentsApi, 'create'>;
  readonly core: Pick<CoreBanking, 'findAccountByIdentifier'>;
}

const SCHEMES: readonly string[] = ['SortCodeAccountNumber', 'IBAN'] satisfies AccountScheme[];

/** A scheme and identification the bank's accounts can have, in canonical form (no spaces, IBAN in capitals). */
function canonicalAccount(debtor: FundsAccountIdentification): { scheme: AccountScheme; identification: string } {
  if (!SCHEMES.includes(debtor.scheme)) throw new AppError(FundsErrors.ACCOUNT_SCHEME_UNSUPPORTED, { details: [{ field: 'funds.account.scheme' }] });
  const compact = debtor.identification.replace(/[\s-]/g, '').toUpperCase();
  const valid = debtor.scheme === 'IBAN' ? isValidIban(compact) : /^\d{14}$/.test(compact);
  if (!valid) throw new AppError(FundsErrors.ACCOUNT_IDENTIFICATION_INVALID, { details: [{ field: 'funds.account.identification' }] });
  return { scheme: debtor.scheme as AccountScheme, identification: compact };
}

/**
 * Stages a confirmation-of-funds consent (awaiting authorisation) for the named account. Whether the
 * account exists at this bank is not revealed to the TPP (a client-credentials token must not be an
 * account-number oracle): the consent keeps the bank's account when the identification names one,
 * and the PSU can authorise it only if that account is theirs (src/modules/psu-authorisation).
 */
export async function stageFundsConfirmationConsent(deps: StageFundsConfirmationConsentDeps, input: NewFundsConfirmationConsent, now: Date = new Date()): Promise<Consent> {
  const debtor = canonicalAccount(input.debtor);
  const account = await deps.core.findAccountByIdentifier(debtor.scheme, debtor.identification);
  return deps.consents.create(
    { kind: 'funds-confirmation', clientId: input.clientId, expiresAt: input.expiresAt, accountIds: account ? [account.id] : [] },
    now,
    input.alongside,
  );
}
