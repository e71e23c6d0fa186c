/**
 * A labelled simulated traffic set for anomaly detection (docs/risk.md "Evaluation"): audit
 * entries of several TPPs of different sizes with a diurnal pattern, normal error rates and PSU
 * logins with occasional typos, PSUs' payments (simulated-payments.ts), plus injected attacks
 * (BOLA probing, credential stuffing, scraping, a misbehaving retry storm, an account-takeover
 * payout), each an episode with its subject and time. Deterministic: the same seed gives the same
 * traffic.
 */
import { mulberry32, type TrailEntry } from '../../src/modules/risk/index.ts';
import { simulatedPayments } from './simulated-payments.ts';

export type Attack = 'bola-probing' | 'credential-stuffing' | 'scraping' | 'retry-storm' | 'new-payee-payout';
/** The attacks on the API traffic (their episodes drawn here); the payouts' are simulatedPayments'. */
const TRAFFIC_ATTACKS = ['bola-probing', 'credential-stuffing', 'scraping', 'retry-storm'] as const;
export const ATTACKS: readonly Attack[] = [...TRAFFIC_ATTACKS, 'new-payee-payout'];

export interface Episode {
  readonly attack: Attack;
  readonly subject: { readonly kind: 'tpp' | 'source' | 'psu'; readonly id: string };
  readonly from: Date;
  readonly to: Date;
}

interface Tpp {
  readonly id: string;
  /** Calls per minute at the busiest hour. */
  readonly peak: number;
  readonly ips: readonly string[];
  readonly consents: readonly string[];
  readonly accounts: readonly string[];
}

const MINUTE = 60_000;
const AIS = '/open-banking/v4.0/aisp';

export interface TrafficSet {
  readonly start: Date;
  readonly days: number;
  /** Days at the start without attacks, for baselines and the model to learn (not scored). */
  readonly warmupDays: number;
  readonly tpps: readonly string[];
  readonly episodes: readonly Episode[];
  /** The entries of the minute starting at `minute` (0-based from `start`). */
  minute(minute: number): TrailEntry[];
}

/** The share of a TPP's peak traffic at an hour of day (UTC): quiet at night, busy by day. */
const diurnal = (hour: number) => (hour >= 6 && hour < 23 ? 0.15 + 0.85 * Math.sin((Math.PI * (hour - 6)) / 17) : 0.08);

export function simulatedTraffic(seed: number, days: number, warmupDays = 2): TrafficSet {
  const start = new Date(Date.UTC(2026, 0, 5));
  const setup = mulberry32(seed);
  const id = (random: () => number, prefix: string) => `${prefix}${Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')}`;
  const tpps: Tpp[] = [120, 60, 25, 10, 4, 1].map((peak, index) => {
    const net = `${20 + index}.${Math.floor(setup() * 250)}.${Math.floor(setup() * 250)}`;
    const size = Math.max(20, peak * 10);
    return {
      id: `tpp-${index + 1}`,
      peak,
      ips: [`${net}.10`, `${net}.11`],
      consents: Array.from({ length: size }, () => id(setup, 'c-')),
      accounts: Array.from({ length: size * 2 }, () => id(setup, 'a-')),
    };
  });
  const usernames = Array.from({ length: 3000 }, (_, index) => `psu${index}`);
  const episodes: Episode[] = [];
  for (let day = warmupDays; day < days; day++) {
    for (const attack of TRAFFIC_ATTACKS) {
      for (let n = 0; n < 2; n++) {
        const from = new Date(start.getTime() + day * 1440 * MINUTE + Math.floor(setup() * 1400) * MINUTE);
        const minutes = 5 + Math.floor(setup() * 15);
        const subject = attack === 'credential-stuffing' ? { kind: 'source' as const, id: `203.0.${Math.floor(setup() * 250)}.${Math.floor(setup() * 250)}` } : { kind: 'tpp' as const, id: tpps[Math.floor(setup() * tpps.length)]!.id };
        episodes.push({ attack, subject, from, to: new Date(from.getTime() + minutes * MINUTE) });
      }
    }
  }
  const payments = simulatedPayments(seed, start, days, warmupDays, tpps.map((tpp) => tpp.id), diurnal);
  episodes.push(...payments.episodes);
  const poisson = (random: () => number, mean: number) => {
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
    let k = 0;
    let p = Math.exp(-mean);
    let sum = p;
    const u = random();
    while (u > sum && k < 1000) {
      k++;
      p *= mean / k;
      sum += p;
    }
    return k;
  };
  const gaussian = (random: () => number) => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const pick = <T>(random: () => number, items: readonly T[]) => items[Math.floor(random() * items.length)]!;

  return {
    start,
    days,
    warmupDays,
    tpps: tpps.map((tpp) => tpp.id),
    episodes,
    minute(minute) {
      const random = mulberry32((seed * 1_000_003 + minute) >>> 0);
      const base = start.getTime() + minute * MINUTE;
      const hour = new Date(base).getUTCHours();
      const at = () => new Date(base + Math.floor(random() * MINUTE));
      const entries: TrailEntry[] = [];
      const call = (tpp: Tpp, path: string, template: string, status: number, consentId: string | null, method = 'GET') =>
        entries.push({
          at: at(),
          kind: 'api-call',
          action: `${method} ${template}`,
          outcome: String(status),
          clientId: tpp.id,
          organisationId: null,
          consentId,
          psuId: consentId ? `psu-of-${consentId}` : null,
          interactionId: id(random, 'i-'),
          details: { path, status, sourceIp: pick(random, tpp.ips) },
        });
      const active = episodes.filter((episode) => episode.from.getTime() <= base && base < episode.to.getTime());
      for (const tpp of tpps) {
        const calls = poisson(random, tpp.peak * diurnal(hour));
        for (let i = 0; i < calls; i++) {
          const consentId = pick(random, tpp.consents);
          const account = pick(random, tpp.accounts);
          const roll = random();
          if (roll < 0.008) call(tpp, `${AIS}/accounts/${id(random, 'a-')}`, `${AIS}/accounts/:AccountId`, 404, consentId);
          else if (roll < 0.012) call(tpp, `${AIS}/accounts`, `${AIS}/accounts`, 401, null);
          else if (roll < 0.014) call(tpp, `${AIS}/accounts/${account}/balances`, `${AIS}/accounts/:AccountId/balances`, 503, consentId);
          else if (roll < 0.3) call(tpp, `${AIS}/accounts`, `${AIS}/accounts`, 200, consentId);
          else if (roll < 0.97) call(tpp, `${AIS}/accounts/${account}/${random() < 0.5 ? 'balances' : 'transactions'}`, `${AIS}/accounts/:AccountId/${random() < 0.5 ? 'balances' : 'transactions'}`, 200, consentId);
          else call(tpp, `${AIS}/account-access-consents`, `${AIS}/account-access-consents`, 201, null, 'POST');
        }
        const created = poisson(random, tpp.peak * diurnal(hour) * 0.03);
        for (let i = 0; i < created; i++) entries.push({ at: at(), kind: 'consent', action: 'ConsentCreated', outcome: 'awaiting-authorisation', clientId: tpp.id, organisationId: null, consentId: id(random, 'c-'), psuId: null, interactionId: null, details: {} });
        for (const episode of active.filter((candidate) => candidate.subject.id === tpp.id)) {
          if (episode.attack === 'bola-probing') {
            const probes = 8 + Math.floor(random() * 30);
            for (let i = 0; i < probes; i++) call(tpp, `${AIS}/accounts/${id(random, 'x-')}`, `${AIS}/accounts/:AccountId`, random() < 0.5 ? 403 : 404, pick(random, tpp.consents));
          } else if (episode.attack === 'scraping') {
            const reads = Math.max(150, tpp.peak * 6) + Math.floor(random() * 100);
            for (let i = 0; i < reads; i++) call(tpp, `${AIS}/accounts/${pick(random, tpp.accounts)}/transactions`, `${AIS}/accounts/:AccountId/transactions`, 200, pick(random, tpp.consents));
          } else if (episode.attack === 'retry-storm') {
            const retries = 40 + Math.floor(random() * 160);
            const account = tpp.accounts[0]!;
            for (let i = 0; i < retries; i++) call(tpp, `${AIS}/accounts/${account}/transactions`, `${AIS}/accounts/:AccountId/transactions`, random() < 0.7 ? 429 : 500, tpp.consents[0]!);
          }
        }
      }
      // PSUs logging in (from their own, mostly new, addresses), sometimes mistyping their password.
      const logins = poisson(random, 12 * diurnal(hour));
      for (let i = 0; i < logins; i++) {
        const username = pick(random, usernames);
        const sourceIp = `10.${Math.floor(random() * 250)}.${Math.floor(random() * 250)}.${Math.floor(random() * 250)}`;
        const typos = random() < 0.06 ? (random() < 0.2 ? 2 : 1) : 0;
        for (let t = 0; t < typos; t++) entries.push({ at: at(), kind: 'psu-authorisation', action: 'password', outcome: 'failure', clientId: null, organisationId: null, consentId: null, psuId: null, interactionId: null, details: { username, sourceIp, errorCode: 'PSU.INVALID_CREDENTIALS' } });
        entries.push({ at: at(), kind: 'psu-authorisation', action: 'password', outcome: 'success', clientId: null, organisationId: null, consentId: null, psuId: `psu-${username}`, interactionId: null, details: { username, sourceIp } });
      }
      for (const episode of active.filter((candidate) => candidate.attack === 'credential-stuffing')) {
        const attempts = 12 + Math.floor(random() * 50);
        for (let i = 0; i < attempts; i++) {
          const username = random() < 0.5 ? pick(random, usernames) : id(random, 'user-');
          entries.push({ at: at(), kind: 'psu-authorisation', action: 'password', outcome: 'failure', clientId: null, organisationId: null, consentId: null, psuId: null, interactionId: null, details: { username, sourceIp: episode.subject.id, errorCode: 'PSU.INVALID_CREDENTIALS' } });
        }
      }
      entries.push(...payments.minute(minute));
      return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
    },
  };
}
