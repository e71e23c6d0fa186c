import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createOperatorsModule, isOperatorRole, OPERATOR_ROLES } from '../modules/operators/index.ts';
import { LoginGuard, relyingPartyFor } from '../modules/psu-identity/index.ts';
import { createCache } from '../platform/cache/index.ts';
import { loadConfig } from '../platform/config/index.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';

/**
 * `portico operators add USERNAME --role viewer|operator|admin`: a login for the operations console
 * (the first admin of a bank, or any operator without the console). The password is generated and,
 * with the TOTP secret for the operator's authenticator app, printed once: give both to the
 * operator over a channel the bank trusts. Nothing secret is kept in the audit record.
 */
export async function operatorsAddCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { role: { type: 'string' } }, allowPositionals: true, strict: true });
  const [username] = positionals;
  if (positionals.length !== 1 || !username || !values.role || !isOperatorRole(values.role)) {
    throw new CliError(`usage: portico operators add USERNAME --role ${OPERATOR_ROLES.join('|')}`, 2);
  }
  const role = values.role;
  const config = loadConfig();
  const password = randomBytes(18).toString('base64url');
  const created = await withDatabase(config, {
    direct: async ({ db }) => {
      // Creating a login counts no attempt: the guard's cache is this process's own.
      const cache = createCache({ redisUrl: undefined });
      const operators = createOperatorsModule({ db, loginGuard: new LoginGuard(cache, config.login), cache, relyingParty: relyingPartyFor(config.http.publicUrl) });
      return operators.create({ username, password, role });
    },
  });
  process.stdout.write(
    [
      `Operator ${created.operator.username} (${role}) added. Give them, once, over a channel you trust:`,
      `  password     ${password}`,
      `  TOTP secret  ${created.totpSecret}  (otpauth://totp/Portico:${encodeURIComponent(created.operator.username)}?secret=${created.totpSecret}&issuer=Portico)`,
      `They log in at ${config.http.publicUrl}/ops.`,
      '',
    ].join('\n'),
  );
}
