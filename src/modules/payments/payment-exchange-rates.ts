import type { Transaction } from 'kysely';
import type { ExchangeRateTerms } from '../../core/fx/index.ts';
import type { DatabaseSchema, Db } from '../../platform/db/index.ts';

/** Keeps the exchange-rate terms of a consent (agreed at staging) or a payment (applied at submission), in the caller's transaction. */
export async function saveExchangeRate(trx: Transaction<DatabaseSchema>, ownerId: string, terms: ExchangeRateTerms): Promise<void> {
  const stored = { ...terms, ...(terms.expiresAt ? { expiresAt: terms.expiresAt.toISOString() } : {}) };
  await trx.insertInto('payment_exchange_rates').values({ owner_id: ownerId, terms: JSON.stringify(stored) }).execute();
}

/** The exchange-rate terms kept for a consent or a payment, if any. */
export async function findExchangeRate(db: Db, ownerId: string): Promise<ExchangeRateTerms | undefined> {
  const row = await db.selectFrom('payment_exchange_rates').select('terms').where('owner_id', '=', ownerId).executeTakeFirst();
  if (!row) return undefined;
  const stored = (typeof row.terms === 'string' ? JSON.parse(row.terms) : row.terms) as Record<string, unknown>;
  return { ...stored, ...(typeof stored['expiresAt'] === 'string' ? { expiresAt: new Date(stored['expiresAt']) } : {}) } as unknown as ExchangeRateTerms;
}

/**
 * The rate of a payment as its resource states it: the rate it applied, else (an international
 * scheduled payment not yet executed) the terms its consent settled.
 */
export async function exchangeRateOfPayment(db: Db, payment: { readonly id: string; readonly consentId: string }): Promise<ExchangeRateTerms | undefined> {
  return (await findExchangeRate(db, payment.id)) ?? (await findExchangeRate(db, payment.consentId));
}
