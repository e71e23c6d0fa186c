/** Position in an account's transaction list: booking time plus insertion order as tie-breaker. */
export interface TransactionCursor {
  readonly bookingAt: string;
  readonly seq: string;
}

export function encodeCursor(cursor: TransactionCursor): string {
  return Buffer.from(JSON.stringify([cursor.bookingAt, cursor.seq])).toString('base64url');
}

/** Decodes a cursor; undefined for anything malformed (callers answer 400, never 500). */
export function decodeCursor(value: string): TransactionCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [bookingAt, seq] = parsed as unknown[];
    if (typeof bookingAt !== 'string' || Number.isNaN(Date.parse(bookingAt))) return undefined;
    if (typeof seq !== 'string' || !/^\d{1,19}$/.test(seq)) return undefined;
    return { bookingAt, seq };
  } catch {
    return undefined;
  }
}
