import { hostname, userInfo } from 'node:os';
import { recordOperatorAction } from '../modules/audit/index.ts';
import { loadConfig } from '../platform/config/index.ts';
import { DataDirInUseError } from '../platform/data-dir/index.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';

/** The commands that change what the bank holds or serves: each run is an operator action in the audit trail. */
const OPERATOR_COMMANDS = new Set([
  'keys rotate',
  'keys rotate-data-key',
  'keys reencrypt',
  'sandbox seed',
  'sandbox tpp',
  'directory revoke-certificate',
  'directory organisation-status',
  'trust-lists refresh',
  'registers sync',
  'registers import',
  'accounts status',
  'events dlq',
  'report planned-downtime',
  'operators add',
]);

/** Whether a command line is an operator action (`events dlq list` reads; `events dlq replay` acts). */
export function isOperatorAction(argv: readonly string[]): boolean {
  if (argv[0] === 'events' && argv[2] === 'list') return false;
  return OPERATOR_COMMANDS.has(`${argv[0]} ${argv[1]}`);
}

/**
 * Records an operator's command for the audit trail (through the outbox: a worker writes it to the
 * trail, signed): who ran it (user and host), the command line, and how it ended. With the
 * embedded database held by a running server, the command went through that server's operator
 * API, which recorded the call itself.
 */
export async function auditOperatorCommand(argv: readonly string[], outcome: 'success' | 'failure', error?: unknown): Promise<void> {
  try {
    await withDatabase(loadConfig(), {
      migrate: false,
      direct: ({ db }) =>
        recordOperatorAction(db, {
          operator: `${userInfo().username}@${hostname()}`,
          action: `portico ${argv.slice(0, 2).join(' ')}`,
          argv: [...argv],
          outcome,
          ...(error ? { error: error instanceof Error ? error.message : String(error) } : {}),
        }),
    });
  } catch (failure) {
    if (failure instanceof CliError || failure instanceof DataDirInUseError) return;
    process.stderr.write(`portico: the command ran, but could not be recorded in the audit trail: ${(failure as Error).message}\n`);
  }
}
