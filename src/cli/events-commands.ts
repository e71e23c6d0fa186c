import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.ts';
import { createDeadLetterQueue, type DeadLetter } from '../modules/events/index.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';

/** A dead letter as the CLI prints it: from the database, or as the server's operator API answered it in JSON. */
type Line = Omit<DeadLetter, 'occurredAt'> & { readonly occurredAt: Date | string };

const MAX_LIST = 1000;

/**
 * `portico events dlq list [--client ID] [--limit N] [--json]`: the notifications whose pushes were
 * given up (their TPP kept failing for the retry window, or refused them), oldest first.
 */
export async function eventsDlqListCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { client: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) throw new CliError(`--limit must be a whole number from 1 to ${MAX_LIST} (got "${values.limit}")`, 2);
  const config = loadConfig();
  const lines: Line[] = await withDatabase(config, {
    direct: ({ db }) => createDeadLetterQueue({ db, pushRetryMs: config.events.push.retryMs }).list(limit, values.client),
    viaServer: async (server) => (await server.request('GET', `/sandbox/v1/operator/event-dead-letters?limit=${limit}${values.client ? `&client=${encodeURIComponent(values.client)}` : ''}`, { operator: true })) as Line[],
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(lines, null, 2)}\n`);
    return;
  }
  if (lines.length === 0) {
    process.stdout.write('The dead-letter queue is empty.\n');
    return;
  }
  for (const line of lines) {
    process.stdout.write(`${line.id}  ${new Date(line.occurredAt).toISOString()}  ${line.clientId}  ${line.resource.type} ${line.resource.id}  ${line.attempts} attempt(s)  ${line.lastError ?? ''}\n`);
  }
  process.stdout.write(`${lines.length} notification(s)${lines.length === limit ? ` (the first ${limit}; --limit for more)` : ''}. Replay with: portico events dlq replay ID… | --all\n`);
}

/** `portico events dlq replay ID… | --all`: pushes dead-lettered notifications again, each for another retry window. */
export async function eventsDlqReplayCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { all: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (values.all === (positionals.length > 0)) throw new CliError('usage: portico events dlq replay ID… | --all', 2);
  const ids = values.all ? ('all' as const) : positionals;
  const config = loadConfig();
  const replayed = await withDatabase(config, {
    direct: ({ db }) => createDeadLetterQueue({ db, pushRetryMs: config.events.push.retryMs }).replay(ids),
    viaServer: async (server) => ((await server.request('POST', '/sandbox/v1/operator/event-dead-letters/replay', { body: { ids }, operator: true })) as { replayed: number }).replayed,
  });
  process.stdout.write(`Replayed ${replayed} notification(s): they are pushed again now.\n`);
  if (ids !== 'all' && replayed < ids.length) process.stdout.write(`${ids.length - replayed} of the ids given were not in the dead-letter queue.\n`);
}
