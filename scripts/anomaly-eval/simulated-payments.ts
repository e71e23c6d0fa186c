/**
 * The payments of the simulated traffic set (docs/risk.md "Evaluation"): PSUs paying through the
 * TPPs, each with its own usual amounts and payees, and account-takeover payouts injected as
 * labelled episodes. What normal looks like is what a payout must be told from:
 *
 * - consumers paying their usual payees, now and then a payee for the first time at an ordinary
 *   amount, and now and then a salary-sized sum (rent, savings: 15–40 × their median) to a payee
 *   they pay every month;
 * - small businesses paying salaries (their median is salary-sized), a new employee now and then;
 * - shoppers at a checkout TPP: every merchant a new payee, amounts spread wide;
 * - and, on the first warm-up day, each PSU's regular payees paid once (its history).
 *
 * A payout: 1–3 payments in a few minutes to 1–2 payees the PSU never paid, of 20–100 × its
 * median, through its TPP (its consent, in the attacker's hands; a shopper's through a TPP that
 * pays anyone, since a checkout pays merchants only). Deterministic per seed, drawn
 * from generators of their own so the rest of the set is the same with or without them.
 */
import { mulberry32, type TrailEntry } from '../../src/modules/risk/index.ts';

export interface PayoutEpisode {
  readonly attack: 'new-payee-payout';
  readonly subject: { readonly kind: 'psu'; readonly id: string };
  readonly from: Date;
  readonly to: Date;
}

type Kind = 'consumer' | 'business' | 'shopper';

interface Payer {
  readonly psuId: string;
  readonly kind: Kind;
  readonly tppId: string;
  readonly currency: string;
  /** Usual payment, minor units, and the spread of the log of its amounts. */
  readonly median: number;
  readonly sigma: number;
  readonly payees: readonly string[];
  /** A consumer's monthly salary-sized payee (rent, savings). */
  readonly bigPayee: string;
  /** Payments a day. */
  readonly rate: number;
}

const MINUTE = 60_000;
const PIS = '/open-banking/v4.0/pisp';

/** Payers per TPP (by index) and kind: the checkout TPP (the third) has the shoppers. */
const POPULATION: ReadonlyArray<ReadonlyArray<readonly [Kind, number]>> = [
  [['consumer', 260], ['business', 30]],
  [['consumer', 170], ['business', 20]],
  [['shopper', 120]],
  [['consumer', 90], ['business', 10]],
  [['consumer', 50]],
  [['consumer', 15], ['business', 3]],
];

export function simulatedPayments(seed: number, start: Date, days: number, warmupDays: number, tppIds: readonly string[], diurnal: (hour: number) => number) {
  const setup = mulberry32((seed ^ 0x2f6b_1d35) >>> 0);
  const gaussian = (random: () => number) => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const id = (random: () => number, prefix: string) => `${prefix}${Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')}${Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')}`;
  const payers: Payer[] = [];
  POPULATION.forEach((groups, index) => {
    for (const [kind, count] of groups) {
      for (let n = 0; n < count; n++) {
        const median = kind === 'business' ? 150_000 * Math.exp(0.3 * gaussian(setup)) : 4_000 * Math.exp(0.7 * gaussian(setup));
        payers.push({
          psuId: `psu-${kind}-${payers.length}`,
          kind,
          tppId: tppIds[index]!,
          currency: setup() < 0.1 ? 'EUR' : 'GBP',
          median: Math.max(500, Math.round(median)),
          sigma: kind === 'shopper' ? 1.1 : kind === 'business' ? 0.25 + 0.2 * setup() : 0.3 + 0.6 * setup(),
          payees: Array.from({ length: kind === 'business' ? 8 + Math.floor(setup() * 12) : 3 + Math.floor(setup() * 8) }, () => id(setup, 'payee-')),
          bigPayee: id(setup, 'payee-'),
          rate: kind === 'business' ? 4 : kind === 'shopper' ? 1.5 : 2.5,
        });
      }
    }
  });
  const cumulative: number[] = [];
  for (const payer of payers) cumulative.push((cumulative.at(-1) ?? 0) + payer.rate);
  const totalRate = cumulative.at(-1)!;
  /** A payer drawn by its rate. */
  const payerAt = (pick: number) => {
    let low = 0;
    let high = payers.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < pick) low = middle + 1;
      else high = middle;
    }
    return payers[low]!;
  };
  const dayShare = Array.from({ length: 24 }, (_, hour) => diurnal(hour)).reduce((a, b) => a + b, 0) * 60;

  // Each payer's history: every regular payee paid once on the first warm-up day, at a minute of its own.
  const history = new Map<number, Array<{ payer: Payer; payee: string; big: boolean }>>();
  for (const payer of payers) {
    const regular = payer.kind === 'shopper' ? [] : [...payer.payees.map((payee) => ({ payee, big: false })), ...(payer.kind === 'consumer' ? [{ payee: payer.bigPayee, big: true }] : [])];
    for (const item of regular) {
      // On the first day, so that by the scored days the TPPs' share of new payees is their usual again.
      const minute = Math.floor(setup() * 1440);
      history.set(minute, [...(history.get(minute) ?? []), { payer, ...item }]);
    }
  }

  const episodes: PayoutEpisode[] = [];
  const payouts = new Map<number, Array<{ payer: Payer; mules: readonly string[] }>>();
  for (let day = warmupDays; day < days; day++) {
    for (let n = 0; n < 2; n++) {
      const payer = payers[Math.floor(setup() * payers.length)]!;
      const from = start.getTime() + day * 1440 * MINUTE + Math.floor(setup() * 1400) * MINUTE;
      const minutes = 3 + Math.floor(setup() * 8);
      episodes.push({ attack: 'new-payee-payout', subject: { kind: 'psu', id: payer.psuId }, from: new Date(from), to: new Date(from + minutes * MINUTE) });
      const mules = Array.from({ length: 1 + Math.floor(setup() * 2) }, () => id(setup, 'mule-'));
      const times = 1 + Math.floor(setup() * 3);
      const minute = (from - start.getTime()) / MINUTE;
      for (let t = 0; t < times; t++) {
        const at = minute + Math.floor((t * minutes) / times);
        payouts.set(at, [...(payouts.get(at) ?? []), { payer, mules }]);
      }
    }
  }

  const amountOf = (random: () => number, payer: Payer, times = 1) => BigInt(Math.max(100, Math.round(payer.median * times * Math.exp(payer.sigma * gaussian(random)))));

  return {
    episodes,
    /** The minute's payment records and their API calls. */
    minute(minute: number): TrailEntry[] {
      const random = mulberry32(((seed * 1_000_003 + minute) ^ 0x5bd1_e995) >>> 0);
      const base = start.getTime() + minute * MINUTE;
      const hour = new Date(base).getUTCHours();
      const entries: TrailEntry[] = [];
      const pay = (payer: Payer, payee: string, amountMinor: bigint) => {
        const at = new Date(base + Math.floor(random() * MINUTE));
        const paymentId = id(random, 'pmt-');
        const consentId = id(random, 'pc-');
        const interactionId = id(random, 'i-');
        entries.push({
          at,
          kind: 'api-call',
          action: `POST ${PIS}/domestic-payments`,
          outcome: '201',
          clientId: payer.tppId,
          organisationId: null,
          consentId,
          psuId: payer.psuId,
          interactionId,
          details: { path: `${PIS}/domestic-payments`, status: 201 },
        });
        entries.push({
          at,
          kind: 'payment',
          action: 'PaymentStatusChanged',
          outcome: 'pending',
          clientId: payer.tppId,
          organisationId: null,
          consentId,
          psuId: payer.psuId,
          interactionId,
          details: { eventId: id(random, 'e-'), version: 2, aggregate: { type: 'payment', id: paymentId, version: 1 }, payload: { paymentId, consentId, status: 'pending', psuId: payer.psuId, amountMinor: amountMinor.toString(), currency: payer.currency, payee } },
        });
      };
      for (const { payer, payee, big } of history.get(minute) ?? []) pay(payer, payee, amountOf(random, payer, big ? 15 + random() * 25 : 1));
      // Ordinary payments: about each payer's daily rate, spread over the day as the TPPs' traffic is.
      const expected = (totalRate * diurnal(hour)) / dayShare;
      let count = 0;
      for (let p = Math.exp(-expected), sum = p, u = random(); u > sum && count < 200; ) {
        count++;
        p *= expected / count;
        sum += p;
      }
      for (let i = 0; i < count; i++) {
        const payer = payerAt(random() * totalRate);
        const roll = random();
        if (payer.kind === 'shopper') pay(payer, id(random, 'merchant-'), amountOf(random, payer));
        else if (payer.kind === 'business') pay(payer, roll < 0.08 ? id(random, 'payee-') : payer.payees[Math.floor(random() * payer.payees.length)]!, amountOf(random, payer, roll > 0.8 ? 0.2 : 1));
        else if (roll < 0.11) pay(payer, id(random, 'payee-'), amountOf(random, payer));
        else if (roll < 0.15) pay(payer, payer.bigPayee, amountOf(random, payer, 15 + random() * 25));
        else pay(payer, payer.payees[Math.floor(random() * payer.payees.length)]!, amountOf(random, payer));
      }
      // A shopper's checkout TPP pays merchants only: the attacker pays its mules through a TPP that pays anyone.
      for (const { payer, mules } of payouts.get(minute) ?? []) pay(payer.kind === 'shopper' ? { ...payer, tppId: tppIds[0]! } : payer, mules[Math.floor(random() * mules.length)]!, BigInt(Math.round(payer.median * (20 + random() * 80))));
      return entries;
    },
  };
}
