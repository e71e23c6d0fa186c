// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text PostgreSQL can store: no NUL (refused in `text` and in `jsonb` as `\u0000`) and well-formed
 * UTF-16 (an unpaired surrogate has no UTF-8 form: `jsonb` refuses its escape, `text` would store
 * U+FFFD instead of what was sent).
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !UNPAIRED_SURROGATE.test(value);
}

/**
 * The path (`name`, `name[2]`, `name.member`) of the first string in `value` (keys included) that
 * is not storable, or undefined when all are. Walks plain objects and arrays as parsers produce
 * them; `depth` bounds the walk (the JSON parser already refused deeper bodies).
 */
export function findUnstorableText(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path;
  if (depth > 64 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    const memberPath = path === '' ? key : `${path}.${key}`;
    if (!isStorableText(key)) return path === '' ? '(member name)' : `${path} (member name)`;
    const found = findUnstorableText(member, memberPath, depth + 1);
    if (found) return found;
  }
  return undefined;
}
