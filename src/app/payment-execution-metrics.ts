import { Histogram, type Registry } from 'prom-client';

/**
 * How many payments each execution saga of this process executed together
 * (`portico_payment_execution_group_size`, decision 0009e): 1 under light load, more as payments
 * come due while a saga runs. Created before the metrics registry, registered with it once it exists.
 */
export function paymentExecutionMetrics(): { readonly executedTogether: (size: number) => void; readonly register: (registry: Registry) => void } {
  const groupSize = new Histogram({
    name: 'portico_payment_execution_group_size',
    help: 'Payments one execution saga of this process executed together',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [],
  });
  return {
    executedTogether: (size) => groupSize.observe(size),
    register: (registry) => registry.registerMetric(groupSize),
  };
}
