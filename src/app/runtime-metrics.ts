import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CoreGatewayClientOptions } from '../core/adapters/remote/index.ts';
import type { DatabaseHandle } from '../platform/db/index.ts';

/** `portico_db_pool_connections{state}`: the PostgreSQL pool's connections in use and idle, and callers waiting for one. */
export function registerDatabasePoolMetrics(registry: Registry, database: DatabaseHandle): void {
  registry.registerMetric(
    new Gauge({
      name: 'portico_db_pool_connections',
      help: "This process's PostgreSQL pool: connections open (total), idle, and queries waiting for a connection",
      labelNames: ['state'] as const,
      registers: [],
      collect() {
        const stats = database.poolStats();
        if (!stats) return;
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    }),
  );
}

/**
 * The remote core's calls (`CORE=remote`): `portico_core_requests_total{operation,outcome}`,
 * `portico_core_request_duration_seconds{operation}` per attempt, and
 * `portico_core_circuit_opens_total`. Created before the registry, registered with it once it exists.
 */
export function coreGatewayMetrics(): Pick<CoreGatewayClientOptions, 'onAttempt'> & { readonly circuitOpened: () => void; register(registry: Registry): void } {
  const requests = new Counter({ name: 'portico_core_requests_total', help: 'Attempts of calls to the core gateway by operation and outcome', labelNames: ['operation', 'outcome'] as const, registers: [] });
  const duration = new Histogram({
    name: 'portico_core_request_duration_seconds',
    help: 'Time of each attempt of a call to the core gateway',
    labelNames: ['operation'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30],
    registers: [],
  });
  const opens = new Counter({ name: 'portico_core_circuit_opens_total', help: "Times a circuit to the core gateway opened (calls failing fast)", registers: [] });
  return {
    onAttempt: (operation, outcome, seconds) => {
      requests.inc({ operation, outcome });
      duration.observe({ operation }, seconds);
    },
    circuitOpened: () => opens.inc(),
    register(registry) {
      for (const metric of [requests, duration, opens]) registry.registerMetric(metric);
    },
  };
}
