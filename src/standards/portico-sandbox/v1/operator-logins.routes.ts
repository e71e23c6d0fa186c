import type { FastifyInstance } from 'fastify';
import type { OperatorsApi } from '../../../modules/operators/index.ts';

/**
 * `GET /sandbox/v1/operators` (DESIGN.md §3): the seeded logins of the operations console at
 * `/ops` — username, password, TOTP secret (base32, RFC 6238, SHA-1, 6 digits, 30 s) and role,
 * one per role. Registered in sandbox mode only, as `GET /sandbox/v1/psus`.
 */
export async function sandboxOperatorLoginsRoutes(app: FastifyInstance, options: { operators: Pick<OperatorsApi, 'listSandboxLogins'> }): Promise<void> {
  app.get('/sandbox/v1/operators', async () => options.operators.listSandboxLogins());
}
