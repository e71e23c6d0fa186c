import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The hash that says whether two requests are the same: base64url SHA-256 of the body's RFC 8785
 * (JCS) canonical JSON. Key order and formatting do not count; any value does. Bodies reach here
 * already parsed by the strict JSON parser (no unpaired surrogates, finite numbers), which is the
 * I-JSON subset RFC 8785 §3.1 requires.
 */
export function requestHash(body: unknown): string {
  let canonical: string | undefined;
  try {
    canonical = canonicalize(body);
  } catch (error) {
    throw new TypeError(`a request body holds I-JSON values only: ${(error as Error).message}`, { cause: error });
  }
  if (canonical === undefined) throw new TypeError(`a request body holds JSON values only, not ${typeof body}`);
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
