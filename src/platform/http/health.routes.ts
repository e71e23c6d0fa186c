import type { FastifyInstance } from 'fastify';

export type ReadinessCheck = () => Promise<void>;

function withTimeout(check: ReadinessCheck, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    check().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * `GET /health/live`: the process serves requests. `GET /health/ready`: every dependency (database,
 * cache, bus) answered within the timeout; 503 otherwise, naming the failing ones, so a load
 * balancer stops sending traffic to an instance that cannot serve it.
 */
export function registerHealthRoutes(app: FastifyInstance, checks: Record<string, ReadinessCheck>, timeoutMs: number): void {
  app.get('/health/live', { config: { quietLog: true } }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { config: { quietLog: true } }, async (request, reply) => {
    const names = Object.keys(checks);
    const results = await Promise.allSettled(names.map((name) => withTimeout(checks[name] as ReadinessCheck, timeoutMs)));
    const report: Record<string, { status: 'up' | 'down'; error?: string }> = {};
    results.forEach((result, i) => {
      const name = names[i] as string;
      if (result.status === 'fulfilled') report[name] = { status: 'up' };
      else {
        report[name] = { status: 'down', error: result.reason instanceof Error ? result.reason.message : 'failed' };
        request.log.warn({ check: name, err: result.reason }, 'readiness check failed');
      }
    });
    const ready = results.every((r) => r.status === 'fulfilled');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks: report });
  });
}
