import { boundedMemo } from '../../platform/memo/index.ts';
import type { PaymentSeen } from './payment-novelty.ts';
import { subjectKey, type Subject, type TrailEntry, type Window } from './risk-model.ts';

/** What one subject did in one window: raw counts, before any baseline. */
export interface WindowActivity {
  readonly subject: Subject;
  /** Feature values (docs/risk.md "Features"). */
  readonly values: Record<string, number>;
  /** Source networks (IPv4 /24, IPv6 /48) seen. */
  readonly networks: ReadonlySet<string>;
  /** A few interaction ids and paths of what counted, for the evidence. */
  readonly samples: ReadonlyArray<{ readonly interactionId?: string | undefined; readonly action: string; readonly path?: string | undefined; readonly outcome: string }>;
  /** Consents the subject acted under (a force-reauthentication's targets). */
  readonly consentIds: ReadonlySet<string>;
  /** Payments the subject ordered (a PSU) or initiated (a TPP) whose record tells what was ordered. */
  readonly payments: readonly PaymentSeen[];
}

/** The features of each kind of subject, in the order the model reads them. */
export const FEATURES = {
  tpp: ['calls', 'reads', 'err401', 'err403', 'err404', 'foreignIds', 'distinctResources', 'maxRepeat', 'failedBurst', 'consentsCreated', 'consentsRevoked', 'payments', 'paymentsRejected', 'newNetworks', 'newPayees'],
  psu: ['calls', 'distinctTpps', 'loginFailures', 'loginSuccesses', 'newNetworks', 'payments', 'newPayees'],
  source: ['loginFailures', 'loginSuccesses', 'distinctUsernames'],
} as const satisfies Record<Subject['kind'], readonly string[]>;

const SAMPLE_LIMIT = 10;

/** The network prefix of an address: a country is not known offline, so geography is the novelty of the network (docs/risk.md). */
export function networkOf(address: string): string {
  const ip = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  const groups = ip.split('::')[0]!.split(':');
  return `${groups.slice(0, 3).join(':')}::/48`;
}

/** Where a route template (`GET /accounts/:AccountId`) has its parameters (`:AccountId` or `{AccountId}`), by path segment. */
const parameterPositions = (action: string): readonly number[] =>
  action
    .slice(action.indexOf(' ') + 1)
    .split('/')
    .flatMap((part, index) => (part.startsWith(':') || part.startsWith('{') ? [index] : []));

/**
 * The path's segments at `positions` (ascending), the empty ones left out. Read off the path
 * segment by segment up to the last position wanted, rather than split whole: it runs for every
 * API call of a window.
 */
function idsAt(positions: readonly number[], path: string | undefined): string[] {
  const ids: string[] = [];
  if (!path) return ids;
  let wanted = 0;
  for (let index = 0, start = 0; wanted < positions.length; index += 1) {
    const slash = path.indexOf('/', start);
    const end = slash === -1 ? path.length : slash;
    if (index === positions[wanted]) {
      if (end > start) ids.push(path.slice(start, end));
      wanted += 1;
    }
    if (slash === -1) break;
    start = slash + 1;
  }
  return ids;
}

/** The ids a path names where its route template has a parameter (`:AccountId` or `{AccountId}`). */
export const idsInPath = (action: string, path: string | undefined): string[] => idsAt(parameterPositions(action), path);

// Pure functions of their key, and the trail repeats a few routes and source addresses: each is
// worked out once, not per record.
const rememberedPositions = boundedMemo(1000, parameterPositions);
const rememberedNetworks = boundedMemo(10_000, networkOf);

class Accumulator {
  readonly counts = new Map<string, number>();
  readonly sets = new Map<string, Set<string>>();
  readonly networks = new Set<string>();
  readonly consentIds = new Set<string>();
  /** Consents read under (GET answered 2xx): with the ids read, the distinct resources. */
  readonly consentsRead = new Set<string>();
  readonly payments: PaymentSeen[] = [];
  readonly samples: Array<{ interactionId?: string | undefined; action: string; path?: string | undefined; outcome: string }> = [];
  constructor(readonly subject: Subject) {}
  add(feature: string, by = 1): void {
    this.counts.set(feature, (this.counts.get(feature) ?? 0) + by);
  }
  distinct(feature: string, value: string): void {
    let set = this.sets.get(feature);
    if (!set) this.sets.set(feature, (set = new Set()));
    set.add(value);
  }
  sample(entry: TrailEntry): void {
    if (this.samples.length < SAMPLE_LIMIT) this.samples.push({ interactionId: entry.interactionId ?? undefined, action: entry.action, path: text(entry.details['path']), outcome: entry.outcome });
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** What a payment's first record says was ordered (docs/events.md); undefined for a record without it (written before events carried it). */
function paymentOf(entry: TrailEntry, tppId: string | undefined): PaymentSeen | undefined {
  const payload = entry.details['payload'];
  if (typeof payload !== 'object' || payload === null) return undefined;
  const fields = payload as Record<string, unknown>;
  const amount = text(fields['amountMinor']);
  const currency = text(fields['currency']);
  const paymentId = text(fields['paymentId']);
  if (!amount || !/^\d{1,30}$/.test(amount) || !currency || !paymentId) return undefined;
  return { paymentId, tppId, psuId: entry.psuId ?? undefined, amountMinor: BigInt(amount), currency, payee: text(fields['payee']), interactionId: entry.interactionId ?? undefined };
}

/**
 * Counts what each TPP, PSU and source address did in one window of the trail (docs/risk.md):
 * calls and reads, error ratios by 401/403/404, the distinct ids probed in paths answered 403 or
 * 404 (not the TPP's: BOLA probing), the distinct resources read, the most repeated failing
 * request and the 429/5xx answers (retry storms), consent churn, payments (per TPP and per PSU,
 * with what each ordered), login failures per username and per source, and the networks calls
 * came from. Entries are counted one at a time as they are read: a window's records are never
 * held together (at a large bank's volume, a minute's window is hundreds of thousands of them).
 */
export class WindowCounter {
  readonly #subjects = new Map<string, Accumulator>();
  readonly #repeats = new Map<string, number>();

  #of(subject: Subject): Accumulator {
    const key = subjectKey(subject);
    let accumulator = this.#subjects.get(key);
    if (!accumulator) this.#subjects.set(key, (accumulator = new Accumulator(subject)));
    return accumulator;
  }

  add(entry: TrailEntry): void {
    const repeats = this.#repeats;
    const tppId = entry.clientId ?? (entry.organisationId ? `org:${entry.organisationId}` : undefined);
    const sourceIp = text(entry.details['sourceIp']);
    if (entry.kind === 'api-call') {
      const status = Number(entry.outcome);
      const path = text(entry.details['path']);
      const method = entry.action.slice(0, entry.action.indexOf(' '));
      if (tppId) {
        const tpp = this.#of({ kind: 'tpp', id: tppId });
        tpp.add('calls');
        if (sourceIp) tpp.networks.add(rememberedNetworks.memo(sourceIp));
        if (entry.consentId) tpp.consentIds.add(entry.consentId);
        if (status === 401) tpp.add('err401');
        if (status === 403) tpp.add('err403');
        if (status === 404) tpp.add('err404');
        if (status === 429 || status >= 500) tpp.add('failedBurst');
        const ids = idsAt(rememberedPositions.memo(entry.action), path);
        if (status === 403 || status === 404) {
          for (const id of ids) tpp.distinct('foreignIds', id);
          if (ids.length > 0) tpp.sample(entry);
        }
        if (method === 'GET' && status >= 200 && status < 300) {
          tpp.add('reads');
          for (const id of ids) tpp.distinct('distinctResources', id);
          if (entry.consentId) tpp.consentsRead.add(entry.consentId);
        }
        if (status >= 400) {
          const key = `${tppId} ${entry.action} ${path ?? ''} ${entry.outcome}`;
          const count = (repeats.get(key) ?? 0) + 1;
          repeats.set(key, count);
          if (count > (tpp.counts.get('maxRepeat') ?? 0)) tpp.counts.set('maxRepeat', count);
          if (count === 3) tpp.sample(entry);
        }
      }
      if (entry.psuId) {
        const psu = this.#of({ kind: 'psu', id: entry.psuId });
        psu.add('calls');
        if (tppId) psu.distinct('distinctTpps', tppId);
        if (entry.consentId) psu.consentIds.add(entry.consentId);
      }
    } else if (entry.kind === 'psu-authorisation' && entry.action === 'password') {
      const username = text(entry.details['username']);
      const failed = entry.outcome === 'failure';
      if (username) {
        const psu = this.#of({ kind: 'psu', id: username });
        psu.add(failed ? 'loginFailures' : 'loginSuccesses');
        if (sourceIp) psu.networks.add(rememberedNetworks.memo(sourceIp));
        if (failed) psu.sample(entry);
      }
      if (sourceIp) {
        const source = this.#of({ kind: 'source', id: sourceIp });
        source.add(failed ? 'loginFailures' : 'loginSuccesses');
        if (username) source.distinct('distinctUsernames', username);
        if (failed) source.sample(entry);
      }
    } else if (entry.kind === 'consent' && tppId) {
      const tpp = this.#of({ kind: 'tpp', id: tppId });
      if (entry.action === 'ConsentCreated') tpp.add('consentsCreated');
      if (entry.action === 'ConsentStatusChanged' && entry.outcome === 'revoked') tpp.add('consentsRevoked');
    } else if (entry.kind === 'payment') {
      // A new payment's record (pending) tells its PSU, amount and payee (docs/events.md): judged
      // against what each subject remembers in detectWindow.
      const ordered = entry.outcome === 'pending' ? paymentOf(entry, tppId) : undefined;
      if (tppId) {
        const tpp = this.#of({ kind: 'tpp', id: tppId });
        if (entry.outcome === 'pending') tpp.add('payments');
        if (entry.outcome === 'rejected') tpp.add('paymentsRejected');
        if (ordered) tpp.payments.push(ordered);
      }
      if (entry.psuId && entry.outcome === 'pending') {
        const psu = this.#of({ kind: 'psu', id: entry.psuId });
        psu.add('payments');
        if (entry.consentId) psu.consentIds.add(entry.consentId);
        if (ordered) psu.payments.push(ordered);
      }
    }
  }

  /** Each subject's activity in the window so far. */
  activities(): WindowActivity[] {
    return [...this.#subjects.values()].map((accumulator) => {
      const values: Record<string, number> = {};
      for (const feature of FEATURES[accumulator.subject.kind]) values[feature] = accumulator.sets.get(feature)?.size ?? accumulator.counts.get(feature) ?? 0;
      if (accumulator.consentsRead.size > 0) values['distinctResources'] = (accumulator.sets.get('distinctResources')?.size ?? 0) + accumulator.consentsRead.size;
      return { subject: accumulator.subject, values, networks: accumulator.networks, samples: accumulator.samples, consentIds: accumulator.consentIds, payments: accumulator.payments };
    });
  }
}

/** The activities of a window's entries (`WindowCounter` over all of them). */
export function windowFeatures(entries: Iterable<TrailEntry>, _window: Window): WindowActivity[] {
  const counter = new WindowCounter();
  for (const entry of entries) counter.add(entry);
  return counter.activities();
}
