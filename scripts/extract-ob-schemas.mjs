#!/usr/bin/env node
// Extracts the UK OB v4.0 component schemas Portico's routes validate against from the official
// OpenAPI files (specs/uk-obie/v4.0/*-openapi.json, vendored verbatim, provenance in specs/SOURCES.md)
// into src/standards/uk-obie/v4.0/schemas/*.json, which are committed: routes validate against the
// generated files, never the whole OpenAPI documents. DESIGN.md §2.2: schemas come from the official files,
// never hand-copied. test/standards/uk-obie-v4.0/ob-schemas.test.ts runs this with --check, so the
// committed files can never drift from the official spec.
//
//   node scripts/extract-ob-schemas.mjs           regenerate the files
//   node scripts/extract-ob-schemas.mjs --check   exit 1 if a committed file differs
//
// Each output is a JSON Schema document: the named schemas and every schema they reference
// (their $ref closure), verbatim, under "$defs", with "#/components/schemas/X" references rewritten
// to "#/$defs/X" (the only change) so that any JSON Schema validator resolves them in the file.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..');
const SPECS_DIR = process.env.OB_SPECS_DIR ?? path.join(REPO, 'specs');
const OUT_DIR = path.join(REPO, 'src/standards/uk-obie/v4.0/schemas');
const VERSION = 'v4.0';

/** Per official file, the component schemas routes need. Add names here as route families arrive. */
const WANTED = {
  'account-info': ['OBReadConsent1', 'OBReadConsentResponse1', 'OBErrorResponse1'],
  'payment-initiation': ['OBWriteDomesticConsent4', 'OBWriteDomestic2', 'OBWriteDomesticScheduledConsent4', 'OBWriteDomesticScheduled2', 'OBWriteDomesticStandingOrderConsent5', 'OBWriteDomesticStandingOrder3', 'OBWriteInternationalConsent5', 'OBWriteInternational3', 'OBWriteInternationalScheduledConsent5', 'OBWriteInternationalScheduled3', 'OBWriteInternationalStandingOrderConsent6', 'OBWriteInternationalStandingOrder4', 'OBWriteFileConsent3', 'OBWriteFile2', 'OBErrorResponse1'],
  vrp: ['OBDomesticVRPConsentRequest', 'OBDomesticVRPRequest', 'OBVRPFundsConfirmationRequest', 'OBErrorResponse1'],
  'confirmation-funds': ['OBFundsConfirmationConsent1', 'OBFundsConfirmation1', 'OBErrorResponse1'],
  events: ['OBEventSubscription1', 'OBEventSubscriptionResponse1', 'OBEventSubscriptionsResponse1', 'OBEventPolling1', 'OBEventPollingResponse1', 'OBErrorResponse1'],
  'event-notifications': ['OBEventNotification1'],
};

const COMPONENT_REF = /^#\/components\/schemas\/([^/]+)$/;

/** Provenance line of uk-obie/v4.0/ in specs/SOURCES.md (repository, tag, commit). */
function provenance() {
  const sources = readFileSync(path.join(SPECS_DIR, 'SOURCES.md'), 'utf8');
  const line = sources.split('\n').find((l) => l.startsWith(`uk-obie/${VERSION}/`));
  if (!line) throw new Error(`no uk-obie/${VERSION}/ line in ${path.join(SPECS_DIR, 'SOURCES.md')}`);
  const repository = /\b([A-Za-z0-9-]+\/[A-Za-z0-9._-]+),/.exec(line)?.[1];
  const tag = /\btag ([^\s,]+)/.exec(line)?.[1];
  const commit = /\bcommit ([0-9a-f]{40})\b/.exec(line)?.[1];
  if (!repository || !commit) throw new Error(`cannot read repository and commit from: ${line}`);
  return { repository, tag, commit };
}

function collectRefs(node, found) {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const match = COMPONENT_REF.exec(value);
        if (!match) throw new Error(`unsupported $ref ${value} (only #/components/schemas/* is handled)`);
        found.add(match[1]);
      } else {
        collectRefs(value, found);
      }
    }
  }
}

function rewriteRefs(node) {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) =>
        key === '$ref' && typeof value === 'string' ? [key, value.replace(COMPONENT_REF, '#/$defs/$1')] : [key, rewriteRefs(value)],
      ),
    );
  }
  return node;
}

/** The generated files: output path → content. */
export function extractObSchemas() {
  const source = provenance();
  const outputs = new Map();
  for (const [name, wanted] of Object.entries(WANTED)) {
    const relative = `uk-obie/${VERSION}/${name}-openapi.json`;
    const raw = readFileSync(path.join(SPECS_DIR, relative));
    const schemas = JSON.parse(raw.toString('utf8')).components?.schemas ?? {};
    const closure = new Set();
    const pending = [...wanted];
    while (pending.length > 0) {
      const next = pending.pop();
      if (closure.has(next)) continue;
      if (!(next in schemas)) throw new Error(`${relative} has no component schema ${next}`);
      closure.add(next);
      const refs = new Set();
      collectRefs(schemas[next], refs);
      pending.push(...refs);
    }
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const document = {
      $comment:
        `GENERATED by scripts/extract-ob-schemas.mjs - do not edit. Source: ${relative} from ${source.repository}` +
        `${source.tag ? ` (tag ${source.tag})` : ''} commit ${source.commit} (per specs/SOURCES.md), file sha256 ${sha256}. ` +
        `Schemas ${wanted.join(', ')} and their $ref closure, verbatim except #/components/schemas/ references rewritten to #/$defs/.`,
      $id: `uk-obie/${VERSION}/${name}.json`,
      $defs: Object.fromEntries([...closure].sort().map((key) => [key, rewriteRefs(schemas[key])])),
    };
    outputs.set(path.join(OUT_DIR, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
  }
  return outputs;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const check = process.argv.includes('--check');
  const outputs = extractObSchemas();
  let drifted = 0;
  for (const [file, content] of outputs) {
    const relative = path.relative(REPO, file);
    if (check) {
      if (!existsSync(file) || readFileSync(file, 'utf8') !== content) {
        console.error(`${relative} differs from what the official spec generates (run node scripts/extract-ob-schemas.mjs)`);
        drifted++;
      } else {
        console.log(`${relative} matches the official spec`);
      }
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      console.log(`wrote ${relative}`);
    }
  }
  process.exit(drifted > 0 ? 1 : 0);
}
