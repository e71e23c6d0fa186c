import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../platform/package/index.ts';

/**
 * The OBIE functional conformance suite's data files (OpenBankingUK/conformance-suite v1.9.1,
 * manifests/*.json), vendored verbatim under specs/ with their provenance (specs/SOURCES.md).
 * A script is one request and the assertions on its response; `parameters` name the values its
 * URI, headers and body take (`$name`), `permissions` the consent its token must come from.
 */
export interface ConformanceScript {
  readonly id: string;
  readonly description: string;
  readonly detail: string;
  readonly refURI: string;
  readonly method: string;
  readonly uri: string;
  readonly uriImplementation: 'mandatory' | 'conditional' | 'optional';
  readonly resource: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly permissions?: readonly string[];
  readonly 'permissions-excluded'?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly queryParameters?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly asserts?: readonly string[];
  readonly asserts_one_of?: readonly string[];
  readonly asserts_last_if_all?: readonly string[];
  readonly keepContextOnSuccess?: { readonly name: string; readonly value: string };
  readonly removeHeaders?: readonly string[];
  readonly removeSignatureClaims?: readonly string[];
  readonly useCCGToken?: boolean;
  readonly schemaCheck?: boolean;
  readonly validateSignature?: boolean;
  readonly apiVersion?: string;
}

/** One expectation of assertions.json: a status, and matches on headers or JSON fields. */
export interface AssertionMatch {
  readonly JSON?: string;
  readonly 'JSON-NOT-PRESENT'?: string;
  readonly Value?: string;
  readonly header?: string;
  readonly 'header-present'?: string;
  readonly value?: string;
  readonly type?: string;
  readonly detail?: string;
}
export interface Assertion {
  readonly expect: { readonly 'status-code'?: number; readonly detail?: string; readonly matches?: readonly AssertionMatch[] };
}

/** The API families of OB v4.0 the suite has manifests for, and where their resources live. */
export const CONFORMANCE_APIS = {
  accounts: { manifest: 'ob_4.0_accounts_transactions_fca.json', basePath: '/open-banking/v4.0/aisp', spec: 'account-info' },
  payments: { manifest: 'ob_4.0_payment_fca.json', basePath: '/open-banking/v4.0/pisp', spec: 'payment-initiation' },
  cbpii: { manifest: 'ob_4.0_cbpii_fca.json', basePath: '/open-banking/v4.0/cbpii', spec: 'confirmation-funds' },
  vrp: { manifest: 'ob_4.0_variable_recurring_payments.json', basePath: '/open-banking/v4.0/pisp', spec: 'vrp' },
} as const;
export type ConformanceApi = keyof typeof CONFORMANCE_APIS;

export interface ConformanceManifests {
  readonly scripts: Readonly<Record<ConformanceApi, readonly ConformanceScript[]>>;
  readonly assertions: Readonly<Record<string, Assertion>>;
  /** Request bodies by name (data.json), with `$name` placeholders. */
  readonly bodies: Readonly<Record<string, unknown>>;
}

/** The package's specs/ folder, whether this runs from src/ or a build. */
export function specsDir(): string {
  return path.join(packageRoot(), 'specs');
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

export function loadManifests(): ConformanceManifests {
  const dir = path.join(specsDir(), 'uk-obie', 'conformance-suite-v1.9.1', 'manifests');
  const scripts = Object.fromEntries(
    Object.entries(CONFORMANCE_APIS).map(([api, { manifest }]) => [api, readJson<{ scripts: ConformanceScript[] }>(path.join(dir, manifest)).scripts]),
  ) as Record<ConformanceApi, ConformanceScript[]>;
  const assertions = readJson<{ references: Record<string, Assertion> }>(path.join(dir, 'assertions.json')).references;
  const data = readJson<{ references: Record<string, { body: unknown }> }>(path.join(dir, 'data.json')).references;
  const bodies = Object.fromEntries(Object.entries(data).map(([name, { body }]) => [name, body]));
  return { scripts, assertions, bodies };
}
