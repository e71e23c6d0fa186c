import { formatAmount, isSupportedCurrency } from '../../core/index.ts';
import type { Subject } from './risk-model.ts';

/** A payment ordered in a window, as its first trail record (`PaymentStatusChanged` pending) tells it. */
export interface PaymentSeen {
  readonly paymentId: string;
  readonly tppId: string | undefined;
  readonly psuId: string | undefined;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** The payee's fingerprint (a keyed hash of the creditor account); absent when the event named none. */
  readonly payee: string | undefined;
  readonly interactionId: string | undefined;
}

/** What a subject remembers of its payments: bounded sketches, not histories (docs/risk.md "Baselines"). */
export interface PaymentMemory {
  /** Per currency, the natural logs of its last AMOUNT_MEMORY payments' amounts, oldest first. */
  readonly amounts?: Readonly<Record<string, readonly number[]>> | undefined;
  /** A PSU's last PAYEE_MEMORY distinct payees (a prefix of their fingerprints), least recently paid first. */
  readonly payees?: readonly string[] | undefined;
  /** A TPP's payments and those to payees new to their PSU, each decayed by NOVELTY_DECAY per payment since (about its last 200). */
  readonly novelty?: { readonly payments: number; readonly newPayees: number } | undefined;
}

/** Amounts kept per currency, and currencies per subject. */
export const AMOUNT_MEMORY = 32;
const CURRENCIES = 4;
/** Payees a PSU remembers; one it paid longer ago than its 64 most recent is new again. */
export const PAYEE_MEMORY = 64;
/** Characters of a fingerprint kept: 72 bits, no collision among a PSU's 64. */
const PAYEE_KEY = 12;
/** Payments of a currency before a subject's amounts are judged against their own median. */
export const MIN_AMOUNT_HISTORY = 3;
/**
 * The smallest spread (in natural log of the amount) an amount is judged against: a PSU that pays
 * the same sum every time is not a hundred deviations out for paying a third more.
 */
const SCALE_FLOOR = 0.3;
/** MAD × 1.4826 estimates the standard deviation of normal data. */
const MAD_TO_SD = 1.4826;
/**
 * A short history's spread is a guess: it is shrunk toward a typical PSU's (0.6 in log amount,
 * payments from about half to twice their median) as if that were PRIOR_WEIGHT payments more.
 */
const PRIOR_SCALE = 0.6;
const PRIOR_WEIGHT = 4;
/** How much a TPP's share of new payees forgets per payment. */
const NOVELTY_DECAY = 0.995;

const median = (sorted: readonly number[]) => {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The median and the floored robust spread (MAD) of a subject's log amounts in a currency; undefined with too few. */
export function amountBaseline(history: readonly number[] | undefined): { readonly median: number; readonly scale: number; readonly n: number } | undefined {
  if (!history || history.length < MIN_AMOUNT_HISTORY) return undefined;
  const sorted = [...history].sort((a, b) => a - b);
  const m = median(sorted);
  const spread = MAD_TO_SD * median(sorted.map((x) => Math.abs(x - m)).sort((a, b) => a - b));
  const n = history.length;
  const shrunk = Math.sqrt((n * spread ** 2 + PRIOR_WEIGHT * PRIOR_SCALE ** 2) / (n + PRIOR_WEIGHT));
  return { median: m, scale: Math.max(shrunk, SCALE_FLOOR), n };
}

/** The natural log of an amount in minor units: a statistic, read once, never money. */
const logOf = (amountMinor: bigint) => Math.log(Math.max(1, Number(amountMinor)));
const payeeKeyOf = (payee: string) => payee.slice(0, PAYEE_KEY);

/** An amount as an operator reads it: "9,800.00 GBP". */
export function amountText(amountMinor: bigint, currency: string): string {
  if (!isSupportedCurrency(currency)) return `${amountMinor} ${currency} (minor units)`;
  const [whole, fraction] = formatAmount(amountMinor, currency).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''} ${currency}`;
}

/** The payment of a window that most deserves an operator's look: the largest against the PSU's usual amounts, to a payee it never paid. */
export interface Payout {
  readonly paymentId: string;
  readonly interactionId: string | undefined;
  readonly tpp: string | undefined;
  readonly amount: string;
  readonly medianAmount: string;
  /** How many times the median. */
  readonly ratio: number;
  /** Robust deviations (log amount against median and MAD). */
  readonly deviation: number;
  /** Payments of the currency the median is of. */
  readonly history: number;
  /** The share of the TPP's payments that go to payees new to their PSU. */
  readonly tppNewPayeeShare: number;
  readonly payee: string;
  readonly summary: string;
}

/**
 * Where more than this share of a TPP's payments go to payees new to their PSU (a merchant
 * checkout: every shop is a new payee), a new payee says nothing about a payment made through it.
 */
export const NOVEL_PAYEES_USUAL = 0.5;

/** The share of a TPP's recent payments that went to payees new to their PSU (0 while it has made none). */
export function newPayeeShare(tpp: PaymentMemory | undefined): number {
  const novelty = tpp?.novelty;
  return novelty && novelty.payments > 0 ? Math.min(1, novelty.newPayees / novelty.payments) : 0;
}

/** What a window's payments say of a subject against its memory. */
export interface PaymentJudgement {
  /** Distinct payees of the window the PSU had not paid (for a TPP: set by its PSUs'). */
  readonly newPayees: number;
  /** A PSU: the most robust deviations of a payment's amount above its usual amounts; a TPP: of its window's median payment. */
  readonly amountDeviation: number;
  /** A PSU: the payment to a new payee whose amount deviates most (none when none was judged). */
  readonly payout: Payout | undefined;
  /** The ids of the payments whose payee was new to the PSU. */
  readonly toNewPayees: ReadonlySet<string>;
}

const NO_PAYMENTS: PaymentJudgement = { newPayees: 0, amountDeviation: 0, payout: undefined, toNewPayees: new Set() };
const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * Judges a window's payments against what the subject remembers (docs/risk.md "Features"): for a
 * PSU, which payees it never paid before and how far each amount is above its own usual amounts
 * in that currency (median and MAD of the log amount: robust to the odd large one); for a TPP, how
 * far its window's median payment is above its usual. A subject with fewer than
 * MIN_AMOUNT_HISTORY payments of a currency is not judged on their amounts yet. A PSU's payout is
 * a payment to a new payee, through a TPP whose payments mostly go to known ones (`shareOfTpp`).
 */
export function judgePayments(kind: Subject['kind'], memory: PaymentMemory, payments: readonly PaymentSeen[], shareOfTpp: (tppId: string | undefined) => number = () => 0): PaymentJudgement {
  if (payments.length === 0) return NO_PAYMENTS;
  if (kind === 'tpp') {
    // A TPP's large payment is one of many: its typical payment moving is what is unusual.
    let amountDeviation = 0;
    const byCurrency = new Map<string, PaymentSeen[]>();
    for (const payment of payments) {
      const ofCurrency = byCurrency.get(payment.currency);
      if (ofCurrency) ofCurrency.push(payment);
      else byCurrency.set(payment.currency, [payment]);
    }
    for (const [currency, ofCurrency] of byCurrency) {
      const baseline = amountBaseline(memory.amounts?.[currency]);
      if (!baseline) continue;
      const typical = median(ofCurrency.map((payment) => logOf(payment.amountMinor)).sort((a, b) => a - b));
      amountDeviation = Math.max(amountDeviation, (typical - baseline.median) / baseline.scale);
    }
    return { newPayees: 0, amountDeviation: round(amountDeviation, 3), payout: undefined, toNewPayees: new Set() };
  }
  const known = new Set(memory.payees ?? []);
  const fresh = new Set<string>();
  const toNewPayees = new Set<string>();
  let amountDeviation = 0;
  let payout: Payout | undefined;
  for (const payment of payments) {
    const isNew = payment.payee !== undefined && !known.has(payeeKeyOf(payment.payee));
    if (isNew) {
      fresh.add(payeeKeyOf(payment.payee!));
      toNewPayees.add(payment.paymentId);
    }
    const baseline = amountBaseline(memory.amounts?.[payment.currency]);
    if (!baseline) continue;
    const deviation = (logOf(payment.amountMinor) - baseline.median) / baseline.scale;
    amountDeviation = Math.max(amountDeviation, deviation);
    if (!isNew || (payout && payout.deviation >= deviation)) continue;
    const tppNewPayeeShare = shareOfTpp(payment.tppId);
    if (tppNewPayeeShare > NOVEL_PAYEES_USUAL) continue;
    const medianMinor = BigInt(Math.round(Math.exp(baseline.median)));
    const ratio = round(Math.exp(logOf(payment.amountMinor) - baseline.median), 1);
    const amount = amountText(payment.amountMinor, payment.currency);
    payout = {
      paymentId: payment.paymentId,
      interactionId: payment.interactionId,
      tpp: payment.tppId,
      amount,
      medianAmount: amountText(medianMinor, payment.currency),
      ratio,
      deviation: round(deviation, 3),
      history: baseline.n,
      payee: payment.payee!,
      tppNewPayeeShare: round(tppNewPayeeShare),
      summary: `payment of ${amount}, ${ratio}× the PSU's median (${amountText(medianMinor, payment.currency)} over its last ${baseline.n} payments in ${payment.currency}), to a payee it had not paid before${payment.tppId ? `, via TPP ${payment.tppId}` : ''}`,
    };
  }
  return { newPayees: fresh.size, amountDeviation: round(Math.max(0, amountDeviation), 3), payout, toNewPayees };
}

/**
 * The memory after a window: its payees (a PSU's) always — a payee paid is known, whatever else
 * the window did — and its amounts unless a rule fired on the window, so that a payout is not
 * learnt as a usual amount; a TPP's share of payments to new payees (`newPayees` of them).
 */
export function rememberPayments(kind: Subject['kind'], memory: PaymentMemory, payments: readonly PaymentSeen[], flagged: boolean, newPayees = 0): PaymentMemory {
  if (payments.length === 0) return memory;
  let novelty = memory.novelty;
  if (kind === 'tpp') {
    const decay = NOVELTY_DECAY ** payments.length;
    novelty = { payments: round((novelty?.payments ?? 0) * decay + payments.length, 3), newPayees: round((novelty?.newPayees ?? 0) * decay + newPayees, 3) };
  }
  let payees = memory.payees;
  if (kind === 'psu') {
    const paid = payments.flatMap((payment) => (payment.payee ? [payeeKeyOf(payment.payee)] : []));
    if (paid.length > 0) payees = [...(payees ?? []).filter((payee) => !paid.includes(payee)), ...new Set(paid)].slice(-PAYEE_MEMORY);
  }
  let amounts = memory.amounts;
  if (!flagged) {
    const next: Record<string, readonly number[]> = { ...amounts };
    for (const payment of payments) {
      const history = next[payment.currency] ?? [];
      // The currency paid last moves to the end: the least recently paid one is forgotten first.
      delete next[payment.currency];
      next[payment.currency] = [...history, round(logOf(payment.amountMinor), 3)].slice(-AMOUNT_MEMORY);
    }
    amounts = Object.fromEntries(Object.entries(next).slice(-CURRENCIES));
  }
  return { ...(amounts ? { amounts } : {}), ...(payees ? { payees } : {}), ...(novelty ? { novelty } : {}) };
}
