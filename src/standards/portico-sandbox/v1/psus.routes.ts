import type { FastifyInstance } from 'fastify';
import type { SandboxApi } from '../../../modules/sandbox/index.ts';

/**
 * `GET /sandbox/v1/psus` (DESIGN.md §3): the sandbox customers with their logins, their market
 * (`UK` or `EU`) and the accounts they reach, so TPP developers and test tools can drive the PSU
 * pages and name the accounts in consents. Registered in sandbox mode only.
 */
export async function sandboxPsusRoutes(app: FastifyInstance, options: { sandbox: SandboxApi }): Promise<void> {
  app.get('/sandbox/v1/psus', async () => options.sandbox.listPsus());
}
