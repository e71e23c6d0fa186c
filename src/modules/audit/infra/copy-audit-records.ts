import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AuditCheckpoint, AuditRecord } from '../audit-record.ts';
import type { ChainHead } from '../audit.repository.port.ts';

const COLUMNS = 'partition, seq, at, kind, action, outcome, client_id, organisation_id, consent_id, psu_id, interaction_id, details, prev_hash, hash';

/** A CSV field: quoted (an empty quoted field is an empty string), or unquoted and empty for NULL. */
const field = (value: string | null) => (value === null ? '' : `"${value.includes('"') ? value.replaceAll('"', '""') : value}"`);

/** The records as CSV text, a few thousand rows per chunk. */
function* csvChunks(records: readonly AuditRecord[]): Generator<string> {
  const CHUNK = 2000;
  for (let start = 0; start < records.length; start += CHUNK) {
    let text = '';
    for (const r of records.slice(start, start + CHUNK)) {
      text += `${field(r.partition)},${r.seq},${field(r.at.toISOString())},${field(r.kind)},${field(r.action)},${field(r.outcome)},${field(r.clientId)},${field(r.organisationId)},${field(r.consentId)},${field(r.psuId)},${field(r.interactionId)},${field(r.details)},${field(r.prevHash)},${field(r.hash)}\n`;
    }
    yield text;
  }
}

/**
 * `append` on PostgreSQL with `COPY FROM STDIN`, the fastest way rows go in, in the same one
 * transaction as the Kysely repository's (lock, head, records, checkpoint): Kysely cannot send
 * COPY, so this runs on a pooled connection of its own.
 */
export async function appendWithCopy(
  client: pg.PoolClient,
  partition: string,
  extend: (head: ChainHead) => Promise<{ readonly records: readonly AuditRecord[]; readonly checkpoint: AuditCheckpoint }>,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit:${partition}`]);
    await client.query('INSERT INTO audit_partitions (partition, created_at) VALUES ($1, now()) ON CONFLICT (partition) DO NOTHING', [partition]);
    const last = await client.query<{ seq: bigint; hash: string }>('SELECT seq, hash FROM audit_checkpoints WHERE partition = $1 ORDER BY seq DESC LIMIT 1', [partition]);
    const head = last.rows[0];
    const { records, checkpoint } = await extend(head ? { seq: BigInt(head.seq), hash: head.hash } : { seq: 0n, hash: '' });
    await pipeline(Readable.from(csvChunks(records)), client.query(copyFrom(`COPY audit_records (${COLUMNS}) FROM STDIN WITH (FORMAT csv)`)));
    await client.query('INSERT INTO audit_checkpoints (partition, seq, hash, at, jws) VALUES ($1, $2, $3, $4, $5)', [partition, checkpoint.seq.toString(), checkpoint.hash, checkpoint.at, checkpoint.jws]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
