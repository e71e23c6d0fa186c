import { createHash, hash as digest } from 'node:crypto';
import type { AuditCheckpoint, AuditEntry, AuditRecord } from './audit-record.ts';
import type { ChainedBatch, ChainHead } from './audit.repository.port.ts';
import { utcDayOf } from '../../platform/calendar/index.ts';

const DAY_MS = 86_400_000;
/** The last day a partition was named for: records come in time order, so nearly every one falls in it. */
let lastDay = { from: 0, to: 0, partition: '' };

/** The partition of an instant: its UTC day (`YYYY-MM-DD`). */
export function partitionOf(at: Date): string {
  const time = at.getTime();
  // Negated, so that an invalid date (NaN) is named anew, and refused by toISOString.
  if (!(time >= lastDay.from && time < lastDay.to)) {
    const from = time - (((time % DAY_MS) + DAY_MS) % DAY_MS);
    lastDay = { from, to: from + DAY_MS, partition: utcDayOf(at) };
  }
  return lastDay.partition;
}

/** What the first record of a partition chains to: a hash of the partition's name. */
export function genesisHash(partition: string): string {
  return createHash('sha256').update(`portico-audit:${partition}`).digest('hex');
}

/** The last instant turned into ISO text: records come in bursts, many in the same millisecond. */
let lastIso = { time: Number.NaN, iso: '' };
const isoOf = (at: Date): string => {
  const time = at.getTime();
  if (time !== lastIso.time) lastIso = { time, iso: at.toISOString() };
  return lastIso.iso;
};

/**
 * Text as a PostgreSQL text column holds it: NUL, which no text column takes, and lone surrogates,
 * which UTF-8 cannot encode, become U+FFFD. Without it one such record would fail its batch on
 * every retry and stop the trail; with it the hash is made over what is stored, so it verifies.
 */
export function storableText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, '\ufffd') : text;
}
const UNSTORABLE_SOURCE = '\\0|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSTORABLE = new RegExp(UNSTORABLE_SOURCE);
const UNSTORABLE_ALL = new RegExp(UNSTORABLE_SOURCE, 'g');
const storableOrNull = (text: string | undefined): string | null => (text === undefined ? null : storableText(text));

type Hashed = Omit<AuditRecord, 'hash'>;
type HashInput = Omit<Hashed, 'seq'>;

/**
 * The hash of a record: SHA-256 over its stored columns, the previous record's hash last. Its
 * input is rebuilt from the columns as read back. The seq is left out: a record's place is bound
 * by the hash it follows (and the checkpoints name seq and hash together), so a record moved
 * elsewhere still hashes and verification can say it was reordered rather than modified.
 */
export function recordHash(record: HashInput): string {
  const input = JSON.stringify([
    record.partition,
    isoOf(record.at),
    record.kind,
    record.action,
    record.outcome,
    record.clientId,
    record.organisationId,
    record.consentId,
    record.psuId,
    record.interactionId,
    record.details,
    record.prevHash,
  ]);
  return digest('sha256', input, 'hex');
}

/** The records that extend a chain whose head is `head` (seq 0 and the genesis hash for a new partition), each chained as it is read. */
export function* chainedRecords(partition: string, head: ChainHead, entries: Iterable<AuditEntry>): Generator<AuditRecord> {
  let { seq, hash } = head;
  for (const entry of entries) {
    seq += 1n;
    const record: { -readonly [K in keyof AuditRecord]: AuditRecord[K] } = {
      partition,
      seq,
      at: entry.at,
      kind: entry.kind,
      action: storableText(entry.action),
      outcome: storableText(entry.outcome),
      clientId: storableOrNull(entry.clientId),
      organisationId: storableOrNull(entry.organisationId),
      consentId: storableOrNull(entry.consentId),
      psuId: storableOrNull(entry.psuId),
      interactionId: storableOrNull(entry.interactionId),
      // JSON escapes NUL and lone surrogates.
      details: JSON.stringify(entry.details ?? {}),
      prevHash: hash,
      hash: '',
    };
    hash = recordHash(record);
    record.hash = hash;
    yield record;
  }
}

/** The records that extend a chain whose head is `head`, all at once. */
export function chainEntries(partition: string, head: ChainHead, entries: readonly AuditEntry[]): AuditRecord[] {
  return [...chainedRecords(partition, head, entries)];
}

/**
 * A batch of entries chained onto a partition's head as the repository reads its records (so that
 * the database can take the first records while the next are hashed), and the checkpoint of its
 * last record, signed once every record was read.
 */
export function chainBatch(partition: string, head: ChainHead, entries: readonly AuditEntry[], sign: (payload: Uint8Array) => Promise<string>): ChainedBatch {
  const from = head.seq === 0n ? { seq: 0n, hash: genesisHash(partition) } : head;
  let last = from;
  return {
    records: (function* () {
      for (const record of chainedRecords(partition, from, entries)) {
        last = record;
        yield record;
      }
    })(),
    async checkpoint() {
      if (last.seq - from.seq !== BigInt(entries.length)) throw new Error('a batch is checkpointed once all its records were read');
      const newHead = { partition, seq: last.seq, hash: last.hash, at: new Date() };
      return { ...newHead, jws: await sign(checkpointPayload(newHead)) };
    },
  };
}

/** What a checkpoint's JWS signs. */
export function checkpointPayload(checkpoint: Omit<AuditCheckpoint, 'jws'>): Uint8Array {
  return Buffer.from(JSON.stringify({ partition: checkpoint.partition, seq: checkpoint.seq.toString(), hash: checkpoint.hash, at: checkpoint.at.toISOString() }));
}
