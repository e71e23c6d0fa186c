/**
 * The subset of GJSON paths the suite's assertions use: dotted field names, and an array query
 * `#[Field="value"]` that picks the first element whose field equals the value.
 * Returns `undefined` when nothing is there.
 */
export function jsonPath(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const segment of splitPath(path)) {
    if (current === null || current === undefined) return undefined;
    const query = /^#\[([^=]+)="([^"]*)"\]$/.exec(segment);
    if (query) {
      if (!Array.isArray(current)) return undefined;
      const [, field, value] = query;
      current = current.find((item) => item !== null && typeof item === 'object' && String((item as Record<string, unknown>)[field!]) === value);
      continue;
    }
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      current = current[Number(segment)];
      continue;
    }
    if (typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Splits on dots outside a `#[…]` query. */
function splitPath(path: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < path.length; i += 1) {
    if (path[i] === '[') depth += 1;
    else if (path[i] === ']') depth -= 1;
    else if (path[i] === '.' && depth === 0) {
      segments.push(path.slice(start, i));
      start = i + 1;
    }
  }
  segments.push(path.slice(start));
  return segments;
}
