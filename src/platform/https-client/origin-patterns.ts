/** An https origin an operator names, exactly or for all subdomains, on one port or any. */
interface OriginPattern {
  readonly host: string;
  readonly wildcardSubdomains: boolean;
  /** null for any port. */
  readonly port: string | null;
}

const PATTERN = /^https:\/\/(\*\.)?([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\*|\d{1,5}))?\/?$/i;

/** Whether `entry` is an https origin pattern: `https://host[:port]`, host may start with `*.`, port may be `*` (443 when left out). */
export function isOriginPattern(entry: string): boolean {
  return PATTERN.test(entry.trim());
}

/** Parses an origin pattern; throws on one that is not (a configuration error). */
function parseOriginPattern(pattern: string): OriginPattern {
  const match = PATTERN.exec(pattern.trim());
  if (!match) throw new Error(`not an https origin pattern (https://host[:port], host may start with *., port may be *): ${pattern}`);
  const port = match[3] ?? '443';
  return { host: match[2]!.toLowerCase(), wildcardSubdomains: match[1] !== undefined, port: port === '*' ? null : String(Number(port)) };
}

// A list is parsed once: allow-lists are configuration, asked about at every push.
const parsed = new WeakMap<readonly string[], readonly OriginPattern[]>();

/** Whether a URL's origin is one an entry of `patterns` names. */
export function matchesOriginPattern(url: URL, patterns: readonly string[]): boolean {
  let list = parsed.get(patterns);
  if (!list) {
    list = patterns.map(parseOriginPattern);
    parsed.set(patterns, list);
  }
  const host = url.hostname.toLowerCase();
  const port = url.port === '' ? '443' : url.port;
  return list.some((pattern) => (pattern.port === null || pattern.port === port) && (pattern.wildcardSubdomains ? host.endsWith(`.${pattern.host}`) : host === pattern.host));
}
