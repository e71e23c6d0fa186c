import { createHash } from 'node:crypto';

/**
 * The hash that says whether two requests are the same: base64url SHA-256 of the body's canonical
 * JSON (RFC 8785 JCS for parsed JSON: members sorted by UTF-16 code units, no white space, numbers
 * and strings as ECMAScript serialises them). Key order and formatting do not count; any value does.
 */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('a request body holds JSON numbers only');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`).join(',')}}`;
  }
  throw new TypeError(`a request body holds JSON values only, not ${typeof value}`);
}
