import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * How many payments each execution saga of this process executed together
 * (`portico_payment_execution_group_size`, decision 0009e): 1 under light load, more as payments
 * come due while a saga runs; and the payments given up after their last attempt
 * (`portico_payment_executions_abandoned_total`, an alert: each is rejected AB07 and must be
 * reconciled with the core). Created before the metrics registry, registered with it once it exists.
 */
export function paymentExecutionMetrics(): {
  readonly executedTogether: (size: number) => void;
  readonly abandoned: () => void;
  readonly register: (registry: Registry) => void;
} {
  const abandoned = new Counter({
    name: 'portico_payment_executions_abandoned_total',
    help: 'Payments rejected (AB07) because their execution failed on its last attempt: alert, and reconcile with the core',
    registers: [],
  });
  const groupSize = new Histogram({
    name: 'portico_payment_execution_group_size',
    help: 'Payments one execution saga of this process executed together',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [],
  });
  return {
    executedTogether: (size) => groupSize.observe(size),
    abandoned: () => abandoned.inc(),
    register: (registry) => {
      registry.registerMetric(groupSize);
      registry.registerMetric(abandoned);
    },
  };
}
