import { readFileSync } from 'node:fs';

/** The OB v4.0 files whose endpoints the MI reports number, in numbering order. */
const NUMBERED_FILES = ['account-info', 'payment-initiation', 'vrp', 'confirmation-funds', 'events'] as const;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** `METHOD /open-banking/v4.0/aisp/accounts/{AccountId}` → its MI endpoint id. */
export type MiEndpointIds = ReadonlyMap<string, number>;

let numbered: MiEndpointIds | undefined;

/**
 * Portico's default MI endpoint ids: each operation's 1-based position across the official v4.0
 * files (specs/uk-obie/v4.0, in the order above, each file's paths and methods in file order),
 * stable while the vendored files are. OB assigns its own ids in the MI "API Endpoint List"; a bank
 * reporting to OB supplies those (`portico report mi --endpoint-ids FILE`), which take precedence.
 */
export function defaultMiEndpointIds(): MiEndpointIds {
  if (numbered) return numbered;
  const ids = new Map<string, number>();
  for (const name of NUMBERED_FILES) {
    // specs/ is beside src/ and dist/ alike (dist mirrors src at the same depth).
    const document = JSON.parse(readFileSync(new URL(`../../../../specs/uk-obie/v4.0/${name}-openapi.json`, import.meta.url), 'utf8')) as {
      servers: Array<{ url: string }>;
      paths: Record<string, Record<string, unknown>>;
    };
    const base = document.servers[0]?.url ?? '';
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) if (METHODS.includes(method)) ids.set(`${method.toUpperCase()} ${base}${path}`, ids.size + 1);
    }
  }
  numbered = ids;
  return ids;
}

/** The spec form of a route template: `:AccountId` → `{AccountId}`, a trailing slash dropped. */
export function specEndpointOf(endpoint: string): string {
  return endpoint.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/$/, '');
}
