/**
 * JSON for cached reads that keeps what plain JSON loses: bigint money and Date instants come back
 * as bigint and Date (`{"$n": "…"}`, `{"$d": "…"}`), never as number or string.
 */
export function encodeCached(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key, current: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $d: raw.toISOString() };
    if (typeof current === 'bigint') return { $n: current.toString() };
    return current;
  });
}

export function decodeCached<T>(text: string): T {
  return JSON.parse(text, (_key, current: unknown) => {
    if (current && typeof current === 'object' && !Array.isArray(current)) {
      const keys = Object.keys(current);
      if (keys.length === 1 && keys[0] === '$d') return new Date((current as { $d: string }).$d);
      if (keys.length === 1 && keys[0] === '$n') return BigInt((current as { $n: string }).$n);
    }
    return current;
  }) as T;
}
