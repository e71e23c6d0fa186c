import type { TxContext } from '../../platform/db/index.ts';
import type { Consent } from '../consents/index.ts';
import type { PaymentsRepository } from './payments.repository.port.ts';
import type { VrpPeriodAlignment, VrpPeriodicLimit, VrpPeriodType } from './vrp-model.ts';
import { periodStart } from './vrp-periods.ts';

/** How much of one periodic limit the VRPs of the current period have used. */
export interface VrpLimitUsage {
  readonly periodType: string;
  readonly alignment: string;
  readonly limitMinor: bigint;
  readonly usedMinor: bigint;
  /** Start of the period that contains `now`. */
  readonly periodStart: Date;
}

/**
 * The use of each periodic limit of a VRP consent in the period that contains `now` (the PSU's
 * access dashboard), counted as `submitDomesticVrp` counts it: every VRP under the consent made
 * since the period began, but the rejected ones. Empty for a consent without stored limits.
 */
export async function vrpUsage(payments: PaymentsRepository, consent: Consent, now: Date = new Date()): Promise<VrpLimitUsage[]> {
  const limits = consent.kind === 'domestic-vrp' ? (consent.payment?.controls?.periodicLimits ?? []) : [];
  if (limits.length === 0) return [];
  const used = await usedInPeriods(payments, consent, limits.map((l) => ({ periodType: l.periodType as VrpPeriodType, alignment: l.alignment as VrpPeriodAlignment })), now);
  return limits.map((limit, i) => {
    const { start, usedMinor } = used[i]!;
    return { periodType: limit.periodType, alignment: limit.alignment, limitMinor: limit.amountMinor, usedMinor, periodStart: start };
  });
}

/**
 * For each period, its start (the one that contains `now`) and the amount of the consent's VRPs
 * made since then, but the rejected ones. Reads in the caller's transaction `tx`, if any.
 */
export async function usedInPeriods(
  payments: PaymentsRepository,
  consent: Pick<Consent, 'id' | 'createdAt'>,
  periods: readonly Pick<VrpPeriodicLimit, 'periodType' | 'alignment'>[],
  now: Date,
  tx?: TxContext,
): Promise<{ start: Date; usedMinor: bigint }[]> {
  const starts = periods.map((period) => periodStart(period, consent.createdAt, now));
  const earliest = new Date(Math.min(...starts.map((s) => s.getTime())));
  const made = await payments.recurringSince(consent.id, earliest, tx);
  return starts.map((start) => ({ start, usedMinor: made.filter((p) => p.createdAt >= start).reduce((sum, p) => sum + p.amountMinor, 0n) }));
}
