/**
 * JSON for cached reads that keeps what plain JSON loses: bigint money and Date instants come back
 * as bigint and Date, never as number or string. Both travel as strings tagged with a leading NUL
 * (`\0d2026-…`, `\0n1234`; a string that itself starts with NUL as `\0s…`), restored by one walk
 * over the parsed tree, which is several times faster than a `JSON.parse` reviver.
 */
const TAG = '\u0000';

export function encodeCached(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key, current: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return `${TAG}d${raw.toISOString()}`;
    if (typeof current === 'bigint') return `${TAG}n${current.toString()}`;
    if (typeof current === 'string' && current.startsWith(TAG)) return `${TAG}s${current}`;
    return current;
  });
}

function restore(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith(TAG)) return value;
    const body = value.slice(2);
    if (value[1] === 'd') return new Date(body);
    if (value[1] === 'n') return BigInt(body);
    return body;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = restore(record[key]);
  }
  return value;
}

export function decodeCached<T>(text: string): T {
  return restore(JSON.parse(text)) as T;
}
