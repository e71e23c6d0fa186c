import { randomBytes } from 'node:crypto';
import type { UnitOfWork } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { accessScopeOf, type Consent, type ConsentsApi } from '../consents/index.ts';
import type { AlongsideWrite } from '../idempotency/index.ts';
import type { SigningBasket } from './signing-basket.ts';
import { recordBasketStatus } from './signing-basket-events.ts';
import type { SigningBasketsRepository } from './signing-baskets.repository.port.ts';
import { SigningBasketErrors } from './signing-baskets.errors.ts';

export interface NewSigningBasket {
  readonly clientId: string;
  /** The member consents (payments and consents of the TPP), in the TPP's order. */
  readonly consentIds: readonly string[];
}

/** 128 random bits: a basket id names what a TPP may read, so it must not be guessable. */
const newBasketId = () => `sbs-${randomBytes(16).toString('base64url')}`;

/**
 * Whether the PSU could authorise the consent without choosing anything: a payment names its
 * debtor account; an account-access consent names its accounts or asks for all; a funds check
 * names its account. One screen and one code then cover the whole basket.
 */
function needsNoChoice(consent: Consent): boolean {
  if (consent.payment) return consent.payment.debtorAccountId !== null;
  if (consent.kind === 'account-access') return accessScopeOf(consent).accounts !== 'psu-selects';
  return consent.kind !== 'funds-confirmation' || consent.accountIds.length > 0;
}

/**
 * The TPP puts consents of its own that await authorisation in a basket. Every member is checked
 * (unknown and foreign alike MEMBER_UNKNOWN, so ids reveal nothing), then the basket and its
 * members are inserted in one transaction; a member already in another basket awaiting
 * authorisation refuses it (a unique index, so two baskets created at once cannot share one).
 */
export async function createSigningBasket(
  deps: { readonly consents: Pick<ConsentsApi, 'find'>; readonly repository: SigningBasketsRepository; readonly uow: UnitOfWork },
  input: NewSigningBasket,
  now: Date,
  alongside?: AlongsideWrite,
): Promise<SigningBasket> {
  if (input.consentIds.length === 0) throw new AppError(SigningBasketErrors.EMPTY);
  if (new Set(input.consentIds).size !== input.consentIds.length) throw new AppError(SigningBasketErrors.MEMBER_REPEATED);
  const members = await Promise.all(input.consentIds.map((id) => deps.consents.find(id, now)));
  members.forEach((consent, index) => {
    const detail = { details: [{ index }] };
    if (!consent || consent.clientId !== input.clientId) throw new AppError(SigningBasketErrors.MEMBER_UNKNOWN, detail);
    if (consent.status !== 'awaiting-authorisation' || (consent.expiresAt !== null && consent.expiresAt <= now)) throw new AppError(SigningBasketErrors.MEMBER_NOT_AWAITING, detail);
    if (!needsNoChoice(consent)) throw new AppError(SigningBasketErrors.MEMBER_NOT_SUPPORTED, detail);
  });
  const basket: SigningBasket = { id: newBasketId(), clientId: input.clientId, consentIds: [...input.consentIds], status: 'awaiting-authorisation', createdAt: now, statusUpdatedAt: now };
  return deps.uow.run(async (tx) => {
    if (!(await deps.repository.insert(tx, basket))) throw new AppError(SigningBasketErrors.MEMBER_NOT_AWAITING);
    await recordBasketStatus(tx, basket);
    await alongside?.(tx, basket.id);
    return basket;
  });
}
