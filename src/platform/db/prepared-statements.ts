import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type pg from 'pg';

/**
 * The comment that ends a statement PostgreSQL should keep prepared on each connection (decision
 * 0009f): parsed and planned once per connection instead of on every call. Appended by `prepared()`.
 */
const MARKER = '/* portico:prepared */';

/**
 * Marks a hot statement to be kept prepared, appended at its end (Kysely's `modifyEnd`, or at the
 * end of a raw `sql` template). Only for statements whose result columns are named one by one: a
 * prepared `SELECT *` or `RETURNING *` fails ("cached plan must not change result type") once a
 * migration adds a column under a running instance, so such a statement is refused at its first use.
 */
export function prepared(): RawBuilder<unknown> {
  return sql.raw(MARKER);
}

/** A result list of `*` or `table.*`, which a migration adding a column would change under a kept plan. */
const STAR_RESULT = /\b(select|returning)\s+(distinct\s+)?("?\w+"?\.)?\*/i;

/** Each marked text's statement name (the marked statements are a fixed few texts). */
const names = new Map<string, string>();

/**
 * Has a pg client send the statements marked `prepared()` as named prepared statements, each named
 * by a digest of its text, so that one text is one statement on every connection; other statements
 * are sent as before (unnamed: parsed and planned each time).
 */
export function keepMarkedStatementsPrepared(client: pg.PoolClient | pg.Client): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text !== 'string' || !text.endsWith(MARKER) || (values !== undefined && !Array.isArray(values))) return query(text, values, callback);
    let name = names.get(text);
    if (name === undefined) {
      if (STAR_RESULT.test(text)) throw new Error(`a prepared statement must name its result columns: ${text.slice(0, 200)}`);
      name = `portico_${createHash('sha256').update(text).digest('base64url').slice(0, 20)}`;
      names.set(text, name);
    }
    return query({ name, text, values }, callback);
  };
}
