import { LRUCache } from 'lru-cache';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** How an instance takes a limit's allowance from the shared count: slices of at most `maxLease` points, for about `instances` instances. */
export interface LeaseOptions {
  /** How many instances are expected to draw on one allowance (REPLICAS; at least 2 when ROLE is not `all`). */
  readonly instances: number;
  /** The largest slice an instance takes at once (RATE_LIMIT_LEASE); 1 counts every request in Redis. */
  readonly maxLease: number;
}

/** The answer for one request: admitted, or refused until `retryAfterMs` has passed. */
export type LeaseAnswer = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterMs: number };
const ADMITTED: LeaseAnswer = { admitted: true };

/**
 * The slice of an allowance of `points` an instance takes at once: a quarter of it shared among
 * the expected instances, at most `maxLease`, at least 1. Allowances smaller than 8 per instance
 * (4 unattended reads a day, a consent's few) are taken one point at a time: exact, as without
 * leases. Applied to what is left of an allowance, it makes the slices shrink as the allowance runs out.
 */
export function leaseSize(points: number, lease: LeaseOptions): number {
  return Math.max(1, Math.min(lease.maxLease, Math.floor(points / (4 * lease.instances))));
}

/** What one instance holds of one key's allowance in the current window. */
interface Lease {
  /** Points granted to this instance and not spent yet. */
  left: number;
  /** When the window they were granted in ends here (epoch ms): never later than the shared count's. */
  until: number;
  /** The slice to take next (smaller as the allowance runs out). */
  size: number;
  /** The slice being taken, which concurrent requests for the key wait for instead of taking their own. */
  taking: Promise<LeaseAnswer | undefined> | undefined;
}

/** The most keys an instance holds slices for; the least recently used one's unspent points are given up. */
const MAX_KEYS = 50_000;

/**
 * Counts requests against allowances held by a shared limiter (`RateLimiterRedis`) in slices: an
 * instance takes several points at once with the limiter's own atomic consume (INCRBY n in its Lua
 * script) and spends them locally, so most requests touch no Redis. A slice is only ever granted
 * out of the allowance (a consume that passes the limit is granted what was left before it), and
 * it lapses here no later than its window in Redis: all instances together never admit more than
 * the allowance in a window. What a slice costs is early refusal: points an instance holds are not
 * available to another, so a TPP spread over k instances may be refused once
 * `points - (k - 1) * (size - 1)` requests were admitted (decision 0017f).
 */
export class AllowanceLeases {
  private readonly leases = new LRUCache<string, Lease>({ max: MAX_KEYS });
  private readonly size: number;

  constructor(
    private readonly shared: RateLimiterAbstract,
    private readonly points: number,
    private readonly lease: LeaseOptions,
  ) {
    this.size = leaseSize(points, lease);
  }

  async consume(key: string): Promise<LeaseAnswer> {
    for (;;) {
      let lease = this.leases.get(key);
      if (!lease) this.leases.set(key, (lease = { left: 0, until: 0, size: this.size, taking: undefined }));
      if (lease.left > 0 && lease.until > Date.now()) {
        lease.left -= 1;
        return ADMITTED;
      }
      const held = lease;
      held.taking ??= this.take(key, held).finally(() => {
        held.taking = undefined;
      });
      // Refused: every request waiting for the slice is refused; granted: each tries the slice again.
      const refusal = await held.taking;
      if (refusal) return refusal;
    }
  }

  /** Takes a slice of the key's allowance into `lease`, or answers why none is left. */
  private async take(key: string, lease: Lease): Promise<LeaseAnswer | undefined> {
    const started = Date.now();
    // A lapsed window starts again with a full slice.
    const size = lease.until > started ? lease.size : this.size;
    let answer: RateLimiterRes;
    let granted: number;
    try {
      answer = await this.shared.consume(key, size);
      granted = size;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      answer = refusal;
      // Over the allowance after this slice: granted what was left before it. A key the limiter
      // already knew to be spent (its in-memory block) reports no points consumed: nothing left.
      granted = answer.consumedPoints >= size ? Math.max(0, this.points - (answer.consumedPoints - size)) : 0;
    }
    lease.left = granted;
    // The window's end as measured before asking: Redis's own end is at least this late.
    lease.until = started + answer.msBeforeNext;
    lease.size = leaseSize(answer.remainingPoints, this.lease);
    if (granted > 0) return undefined;
    return { admitted: false, retryAfterMs: answer.msBeforeNext };
  }
}
