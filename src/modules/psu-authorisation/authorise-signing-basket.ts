import { createHash } from 'node:crypto';
import type { Account, CoreBanking } from '../../core/index.ts';
import type { UnitOfWork } from '../../platform/db/index.ts';
import { AppError, isAppError } from '../../platform/errors/index.ts';
import { ConsentErrors, scaBindingOf, type Consent, type ConsentsApi } from '../consents/index.ts';
import type { PsuIdentityApi } from '../psu-identity/index.ts';
import { SigningBasketErrors, type SigningBasket, type SigningBasketsApi } from '../signing-baskets/index.ts';
import type { Approval } from './decide-consent.ts';
import { eligibleAccountsOf } from './describe-consent.ts';
import { PsuAuthorisationErrors } from './psu-authorisation.errors.ts';
import { FINAL_SCA_STATUSES, scaAsOf, type ScaAuthorisation } from './sca-authorisation.ts';
import type { ScaAuthorisationsRepository } from './sca-authorisations.repository.port.ts';
import { insertSca, type NewScaAuthorisation } from './sca-authorisations.ts';

export interface SigningBasketScaDeps {
  readonly consents: Pick<ConsentsApi, 'find' | 'authoriseIn'>;
  readonly baskets: Pick<SigningBasketsApi, 'find' | 'findForClient' | 'authoriseIn' | 'reject'>;
  readonly scas: ScaAuthorisationsRepository;
  readonly uow: UnitOfWork;
  readonly core: CoreBanking;
  readonly identity: Pick<PsuIdentityApi, 'verifyOneTimeCode'>;
}

/** A member as the PSU authorises it: the consent, and the accounts it is authorised on (no choice is left to the PSU). */
export interface BasketMemberForPsu {
  readonly consent: Consent;
  readonly accounts: readonly Account[];
}

/** A signing basket as this PSU may authorise it: every member, and the binding of all the screen shows. */
export interface SigningBasketForPsu {
  readonly basket: SigningBasket;
  readonly members: readonly BasketMemberForPsu[];
  /** Dynamic linking over the basket: every payment's amount and payee, and every consent (PSD2 RTS Art. 5). */
  readonly binding: string;
}

/**
 * The PSD2 RTS Art. 5 binding of a basket: the basket id and, per member in order, a payment's own
 * binding (amount, currency, payee, reference, schedule) or a consent's id. The one code the PSU
 * enters covers the total and every payee: any member changed, added or removed changes it.
 */
export function signingBasketBindingOf(basketId: string, members: readonly Consent[]): string {
  const canonical = JSON.stringify([basketId, ...members.map((consent) => (consent.payment ? scaBindingOf(consent.id, consent.payment) : consent.id))]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** The TPP starts an SCA of its own basket, which must await authorisation. */
export async function startSigningBasketSca(deps: Pick<SigningBasketScaDeps, 'baskets' | 'scas'>, input: NewScaAuthorisation, now: Date): Promise<ScaAuthorisation> {
  const basket = await deps.baskets.findForClient(input.consentId, input.clientId);
  if (basket.status !== 'awaiting-authorisation') throw new AppError(SigningBasketErrors.NOT_AWAITING);
  return insertSca(deps.scas, { ...input, consentId: basket.id, purpose: 'authorise-basket' }, now);
}

/** A basket SCA still open (not final, not past its lifetime). */
async function openBasketSca(deps: Pick<SigningBasketScaDeps, 'scas'>, scaId: string, now: Date): Promise<ScaAuthorisation> {
  const found = await deps.scas.find(scaId);
  if (!found || found.purpose !== 'authorise-basket') throw new AppError(PsuAuthorisationErrors.SCA_UNKNOWN);
  const sca = scaAsOf(found, now);
  if (FINAL_SCA_STATUSES.has(sca.status)) throw new AppError(PsuAuthorisationErrors.SCA_ENDED);
  return sca;
}

/**
 * The basket an SCA names, if any PSU could authorise it now: it awaits authorisation and every
 * member is still the TPP's, awaiting authorisation and unexpired. A member authorised or cancelled
 * meanwhile fails the basket for good (rejected: nothing of it is authorised, and its other members
 * are free again), so the PSU is sent back before typing anything.
 */
export async function findAuthorisableBasket(deps: Pick<SigningBasketScaDeps, 'consents' | 'baskets' | 'scas'>, scaId: string, now: Date): Promise<{ sca: ScaAuthorisation; basket: SigningBasket; members: Consent[] }> {
  const sca = await openBasketSca(deps, scaId, now);
  const basket = await deps.baskets.find(sca.consentId);
  if (!basket || basket.clientId !== sca.clientId) throw new AppError(PsuAuthorisationErrors.SCA_UNKNOWN);
  if (basket.status !== 'awaiting-authorisation') throw new AppError(SigningBasketErrors.NOT_AWAITING);
  const members = await Promise.all(basket.consentIds.map((id) => deps.consents.find(id, now)));
  const authorisable = (consent: Consent | undefined): consent is Consent =>
    consent !== undefined && consent.clientId === basket.clientId && consent.status === 'awaiting-authorisation' && (consent.expiresAt === null || consent.expiresAt > now);
  if (!members.every(authorisable)) {
    await deps.baskets.reject(basket.id, now);
    throw new AppError(PsuAuthorisationErrors.BASKET_MEMBER_NOT_AWAITING);
  }
  return { sca, basket, members };
}

/**
 * The basket as this PSU may authorise it: every member must be theirs to authorise — a payment
 * from an account they hold, an access consent on accounts of theirs it names (or all of them), a
 * funds check on their account. A member of another PSU's is NO_ELIGIBLE_ACCOUNT: the SCA fails and
 * nothing is authorised; the basket stays, for its own PSU to authorise under a new SCA.
 */
export async function describeSigningBasketForPsu(deps: SigningBasketScaDeps, scaId: string, partyId: string, now: Date): Promise<SigningBasketForPsu> {
  const { basket, members } = await findAuthorisableBasket(deps, scaId, now);
  const described = await Promise.all(members.map(async (consent) => ({ consent, accounts: await eligibleAccountsOf(deps.core, consent, partyId) })));
  if (described.some((member) => member.accounts.length === 0 || (member.consent.payment !== null && member.accounts.length !== 1))) throw new AppError(PsuAuthorisationErrors.NO_ELIGIBLE_ACCOUNT);
  return { basket, members: described, binding: signingBasketBindingOf(basket.id, members) };
}

/**
 * The PSU approves the basket with the one-time code entered on the screen that showed every
 * member; the binding of what was shown must equal the basket's as stored now. Then, in ONE
 * transaction, the SCA is finalised (only by the PSU who identified for it), every member is
 * authorised (each payment with its own binding, so it executes as after its own SCA) and the
 * basket is authorised. A member authorised or cancelled elsewhere meanwhile refuses its own
 * authorisation: everything rolls back, the basket is rejected and nothing is authorised.
 */
export async function approveSigningBasket(deps: SigningBasketScaDeps, scaId: string, approval: Omit<Approval, 'accountIds'>, now: Date = new Date()): Promise<ScaAuthorisation> {
  const sca = await openBasketSca(deps, scaId, now);
  if (sca.psuId !== approval.psuId) throw new AppError(PsuAuthorisationErrors.SCA_ENDED);
  const { basket, members, binding } = await describeSigningBasketForPsu(deps, scaId, approval.partyId, now);
  if (approval.shownBinding !== binding) throw new AppError(PsuAuthorisationErrors.PAYMENT_CHANGED);
  await deps.identity.verifyOneTimeCode(approval.psuId, approval.oneTimeCode ?? '', { now, source: approval.source });
  try {
    return await deps.uow.run(async (tx) => {
      const finalised = await deps.scas.advance(sca.id, ['psu-identified', 'psu-authenticated'], 'finalised', approval.psuId, now, tx);
      if (!finalised) throw new AppError(PsuAuthorisationErrors.SCA_ENDED);
      for (const { consent, accounts } of members) {
        const scaBinding = consent.payment ? scaBindingOf(consent.id, consent.payment) : undefined;
        await deps.consents.authoriseIn(tx, consent.id, { psuId: approval.psuId, partyId: approval.partyId, accountIds: accounts.map((account) => account.id), scaBinding }, now);
      }
      await deps.baskets.authoriseIn(tx, basket.id, now);
      return finalised;
    });
  } catch (error) {
    if (!isAppError(error) || error.code !== ConsentErrors.NOT_AWAITING_AUTHORISATION.code) throw error;
    await deps.baskets.reject(basket.id, now);
    throw new AppError(PsuAuthorisationErrors.BASKET_MEMBER_NOT_AWAITING);
  }
}

/** The PSU denies the basket: it is rejected; its members are not, and stay free to be authorised alone or in another basket. */
export async function denySigningBasket(deps: Pick<SigningBasketScaDeps, 'consents' | 'baskets' | 'scas'>, scaId: string, now: Date = new Date()): Promise<void> {
  const { basket } = await findAuthorisableBasket(deps, scaId, now);
  await deps.baskets.reject(basket.id, now);
}
