import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.ts';
import { changeLedgerAccountStatus, LEDGER_ACCOUNT_STATUSES, type LedgerAccountStatus } from '../app/ledger-account-status.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';

const WORDS: Readonly<Record<LedgerAccountStatus, string>> = { Enabled: 'open', Disabled: 'blocked', Deleted: 'closed' };

/**
 * `portico accounts status ACCOUNT_ID Enabled|Disabled|Deleted`: the bank re-opens, blocks or
 * closes an account of the built-in ledger; TPPs whose consents hold it are told
 * (account-access-consent-linked-account-update).
 */
export async function accountsStatusCommand(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const [accountId, statusText, ...extra] = positionals;
  if (!accountId || !statusText || extra.length > 0) throw new CliError(`usage: portico accounts status ACCOUNT_ID ${LEDGER_ACCOUNT_STATUSES.join('|')}`, 2);
  const status = LEDGER_ACCOUNT_STATUSES.find((candidate) => candidate.toLowerCase() === statusText.toLowerCase());
  if (!status) throw new CliError(`the status must be one of ${LEDGER_ACCOUNT_STATUSES.join(', ')} (got "${statusText}")`, 2);
  const config = loadConfig();
  const found = await withDatabase(config, {
    direct: ({ db }) => changeLedgerAccountStatus(db, accountId, status),
    viaServer: async (server) => ((await server.request('PUT', `/sandbox/v1/operator/accounts/${encodeURIComponent(accountId)}/status`, { body: { status }, operator: true })) as { found: boolean }).found,
  });
  if (!found) throw new CliError(`No such account ${accountId}`);
  process.stdout.write(`Account ${accountId} is ${WORDS[status]} (${status}).\n`);
}
