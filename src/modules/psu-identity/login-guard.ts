import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Cache } from '../../platform/cache/index.ts';
import { DEFAULT_LOGIN_SETTINGS, type LoginSettings } from '../../platform/config/index.ts';
import { HashSlots, HashSlotsBusy } from './hash-slots.ts';
import { LoginThrottled, PsuIdentityErrors } from './psu-identity.errors.ts';

/** How hard login attempts are throttled: the `LOGIN_*` settings of the configuration. */
export type LoginGuardPolicy = LoginSettings;

/** The configuration's defaults (docs/configuration.md). */
export const DEFAULT_LOGIN_GUARD: LoginGuardPolicy = DEFAULT_LOGIN_SETTINGS;

/** A counted key: attempts up to `free` pass at once; from then on each one must wait a growing delay. */
interface Rule {
  readonly key: string;
  readonly free: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

/** An admitted attempt: report a success so the throttles of that username (or PSU) start again. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/**
 * The source an attempt comes from, as throttled: an IPv4 address, or the /64 of an IPv6 address
 * (one subscriber usually holds a whole /64, RFC 6177). IPv4-mapped IPv6 counts as its IPv4 address.
 */
export function sourceOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/64`;
}

/**
 * Throttles PSU login attempts without letting anyone lock a PSU out (issue #11): delays grow per
 * (username, source address), so wrong passwords from one place do not stop the PSU logging in
 * from another; a high ceiling per username across all sources stops distributed guessing; a rate
 * limit per source address bounds how many passwords one address can make the bank hash. One-time codes are throttled
 * the same way per (PSU, source) with a low ceiling per PSU: a 6-digit code cannot be brute-forced.
 *
 * An attempt is counted when it is admitted, before its password is checked, so parallel attempts
 * cannot slip past a limit while the first ones are being hashed; a success clears the counts.
 */
export class LoginGuard {
  readonly hashSlots: HashSlots;

  constructor(
    readonly cache: Cache,
    readonly policy: LoginGuardPolicy = DEFAULT_LOGIN_GUARD,
    private readonly clock: () => number = Date.now,
  ) {
    this.hashSlots = new HashSlots(policy.maxConcurrentHashes, policy.hashQueueLength, policy.hashWaitMs);
  }

  /** Admits a password attempt for `username` from `ip`, or throws `LoginThrottled`. */
  admitPassword(username: string, ip: string): Promise<LoginAttempt> {
    const user = digest(username.trim().toLowerCase());
    const source = digest(sourceOf(ip));
    const { policy } = this;
    return this.admit(`psu-login:src:${source}`, [
      { key: `psu-login:pw:${user}:${source}`, free: policy.freeAttempts, baseSeconds: policy.delayBaseSeconds, maxSeconds: policy.delayMaxSeconds },
      { key: `psu-login:pw:${user}`, free: policy.usernameMaxAttempts, baseSeconds: policy.delayMaxSeconds, maxSeconds: policy.delayMaxSeconds },
    ]);
  }

  /** Admits a one-time code attempt for a PSU from `ip`, or throws `LoginThrottled`. */
  admitOneTimeCode(psuId: string, ip: string): Promise<LoginAttempt> {
    const source = digest(sourceOf(ip));
    const { policy } = this;
    // Codes cost no hash: they are limited per (PSU, source) and per PSU, not per source.
    return this.admit(undefined, [
      { key: `psu-login:otp:${psuId}:${source}`, free: policy.freeAttempts, baseSeconds: policy.delayBaseSeconds, maxSeconds: policy.delayMaxSeconds },
      { key: `psu-login:otp:${psuId}`, free: policy.oneTimeCodeMaxAttempts, baseSeconds: policy.delayMaxSeconds, maxSeconds: policy.delayMaxSeconds },
    ]);
  }

  /** Runs a password hash in one of this process's hashing slots, or throws `LoginThrottled` (busy). */
  async hash<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.hashSlots.run(task);
    } catch (error) {
      if (error instanceof HashSlotsBusy) throw new LoginThrottled(PsuIdentityErrors.BUSY, Math.max(1, Math.ceil(this.policy.hashWaitMs / 1000)));
      throw error;
    }
  }

  private async admit(sourceKey: string | undefined, rules: readonly Rule[]): Promise<LoginAttempt> {
    const now = this.clock();
    // A blocked attempt is refused before it is counted or hashed.
    const blocked = await Promise.all(rules.map((rule) => this.cache.get(`${rule.key}:until`)));
    const until = Math.max(0, ...blocked.map((value) => Number(value ?? 0)));
    if (until > now) throw this.throttled(until, now);

    if (sourceKey) {
      // Fixed windows aligned on the clock, so the answer can say when the window ends.
      const window = Math.floor(now / 1000 / this.policy.sourceWindowSeconds);
      const fromSource = await this.cache.increment(`${sourceKey}:${window}`, this.policy.sourceWindowSeconds);
      if (fromSource > this.policy.sourceMaxAttempts) throw this.throttled((window + 1) * this.policy.sourceWindowSeconds * 1000, now);
    }

    await Promise.all(rules.map((rule) => this.count(rule, now)));
    return {
      succeeded: async () => {
        await this.cache.del(...rules.flatMap((rule) => [rule.key, `${rule.key}:until`]));
      },
    };
  }

  /**
   * Counts one attempt; from the `free`-th on, the next one must wait base·2^k seconds (capped).
   * The wait is claimed with SET NX, so of concurrent attempts past the limit only one proceeds.
   */
  private async count(rule: Rule, now: number): Promise<void> {
    const attempts = await this.cache.increment(rule.key, this.policy.attemptWindowSeconds);
    if (attempts < rule.free) return;
    const delaySeconds = Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** Math.min(attempts - rule.free, 30));
    const until = now + delaySeconds * 1000;
    if (!(await this.cache.setIfAbsent(`${rule.key}:until`, String(until), delaySeconds))) {
      // Taken by a concurrent attempt — unless what is there has already passed (the key's TTL is
      // whole seconds and lags the value by up to one), in which case this attempt takes the wait.
      const current = Number((await this.cache.get(`${rule.key}:until`)) ?? 0);
      if (current > now) throw this.throttled(current, now);
      await this.cache.set(`${rule.key}:until`, String(until), delaySeconds);
    }
  }

  private throttled(until: number, now: number): LoginThrottled {
    return new LoginThrottled(PsuIdentityErrors.TOO_MANY_ATTEMPTS, Math.max(1, Math.ceil((until - now) / 1000)));
  }
}
