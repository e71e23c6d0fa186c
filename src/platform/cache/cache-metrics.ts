import { Counter, Gauge, type Registry } from 'prom-client';
import type { Cache } from './cache.port.ts';

const STATE_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * The cache's circuit breaker in Prometheus figures, read at each scrape:
 * `portico_cache_circuit_state` (0 closed, 1 half-open, 2 open) and
 * `portico_cache_circuit_opens_total`, the times it opened since start (each an interruption).
 */
export function registerCacheMetrics(registry: Registry, cache: Cache): void {
  new Gauge({
    name: 'portico_cache_circuit_state',
    help: 'Circuit breaker of the shared cache: 0 closed (answering), 1 half-open (probing), 2 open (failing fast)',
    registers: [registry],
    collect() {
      this.set(STATE_VALUES[cache.circuit().state]);
    },
  });
  let reported = 0;
  new Counter({
    name: 'portico_cache_circuit_opens_total',
    help: 'Times the circuit breaker of the shared cache opened since start',
    registers: [registry],
    collect() {
      const opens = cache.circuit().opens;
      if (opens > reported) this.inc(opens - reported);
      reported = opens;
    },
  });
}
