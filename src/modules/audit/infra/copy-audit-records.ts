import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AuditRecord } from '../audit-record.ts';
import type { ChainedBatch, ChainHead } from '../audit.repository.port.ts';

const COLUMNS = 'partition, seq, at, kind, action, outcome, client_id, organisation_id, consent_id, psu_id, interaction_id, details, prev_hash, hash';
const FIELDS = 14;

/** PostgreSQL's timestamps count microseconds from 2000-01-01T00:00:00Z. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const CHUNK_BYTES = 256 * 1024;
/** Binary COPY's signature, flags (none) and header extension length (none). */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);

/**
 * The records in PostgreSQL's binary COPY format (the `COPY` page of its manual, "Binary Format"):
 * the header, then per row its number of fields and each field as its length in bytes (-1 for
 * NULL) followed by its bytes — text as UTF-8, `seq` as an int8, `at` as a timestamptz (int8
 * microseconds since 2000) — and a trailer of -1. Nothing is quoted, escaped or parsed as text on
 * either side. Written into buffers of a quarter megabyte, each yielded as it fills.
 */
function* copyChunks(records: Iterable<AuditRecord>): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let at = HEADER.copy(chunk);
  const text = (value: string | null) => {
    if (value === null) {
      at = chunk.writeInt32BE(-1, at);
      return;
    }
    const length = chunk.write(value, at + 4);
    chunk.writeInt32BE(length, at);
    at += 4 + length;
  };
  for (const r of records) {
    const texts = [r.kind, r.action, r.outcome, r.clientId, r.organisationId, r.consentId, r.psuId, r.interactionId, r.details, r.prevHash, r.hash];
    // At most 3 bytes of UTF-8 per UTF-16 unit, 4 bytes of length per field.
    const room = 2 + 4 * FIELDS + 16 + 3 * texts.reduce((sum, value) => sum + (value?.length ?? 0), r.partition.length);
    if (at + room > chunk.length) {
      yield chunk.subarray(0, at);
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, room + 2));
      at = 0;
    }
    at = chunk.writeInt16BE(FIELDS, at);
    text(r.partition);
    at = chunk.writeInt32BE(8, at);
    at = chunk.writeBigInt64BE(r.seq, at);
    at = chunk.writeInt32BE(8, at);
    at = chunk.writeBigInt64BE(BigInt(r.at.getTime() - POSTGRES_EPOCH_MS) * 1000n, at);
    for (const value of texts) text(value);
  }
  at = chunk.writeInt16BE(-1, at);
  yield chunk.subarray(0, at);
}

/**
 * `append` on PostgreSQL with `COPY FROM STDIN` in binary, the fastest way rows go in, in the same one
 * transaction as the Kysely repository's (lock, head, records, checkpoint): Kysely cannot send
 * COPY, so this runs on a pooled connection of its own.
 */
export async function appendWithCopy(
  client: pg.PoolClient,
  partition: string,
  extend: (head: ChainHead) => ChainedBatch,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit:${partition}`]);
    await client.query('INSERT INTO audit_partitions (partition, created_at) VALUES ($1, now()) ON CONFLICT (partition) DO NOTHING', [partition]);
    const last = await client.query<{ seq: bigint; hash: string }>('SELECT seq, hash FROM audit_checkpoints WHERE partition = $1 ORDER BY seq DESC LIMIT 1', [partition]);
    const head = last.rows[0];
    const batch = extend(head ? { seq: BigInt(head.seq), hash: head.hash } : { seq: 0n, hash: '' });
    // One chunk at a time (highWaterMark 1): the server takes each while the next is chained and encoded.
    await pipeline(Readable.from(copyChunks(batch.records), { highWaterMark: 1 }), client.query(copyFrom(`COPY audit_records (${COLUMNS}) FROM STDIN WITH (FORMAT binary)`)));
    const checkpoint = await batch.checkpoint();
    await client.query('INSERT INTO audit_checkpoints (partition, seq, hash, at, jws) VALUES ($1, $2, $3, $4, $5)', [partition, checkpoint.seq.toString(), checkpoint.hash, checkpoint.at, checkpoint.jws]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
