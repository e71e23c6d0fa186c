#!/usr/bin/env node
// Extracts the Berlin Group NextGenPSD2 v1.3 component schemas Portico's facade validates request
// bodies against from the official OpenAPI file (specs/berlin-group/psd2-api_v1.3.12-2022-07-06.yaml,
// vendored verbatim, provenance in specs/SOURCES.md) into
// src/standards/berlin-group/v1.3/schemas/psd2-api.json, which is committed: routes validate against
// the generated file, never the whole OpenAPI document (and never parse YAML at run time).
// DESIGN.md §2.2: schemas come from the official files, never hand-copied.
// test/standards/berlin-group-v1.3/bg-schemas.test.ts runs this with --check, so the committed file
// can never drift from the official spec.
//
//   node scripts/extract-bg-schemas.mjs           regenerate the file
//   node scripts/extract-bg-schemas.mjs --check   exit 1 if the committed file differs
//
// The output is a JSON Schema document: the named schemas and every schema they reference (their
// $ref closure), verbatim, under "$defs", with two changes so that any JSON Schema validator reads
// them: "#/components/schemas/X" references rewritten to "#/$defs/X", and OpenAPI 3.0's boolean
// exclusiveMinimum/exclusiveMaximum (a modifier of minimum/maximum, which JSON Schema since draft 6
// and a strict validator reject) written in JSON Schema's numeric form with the same meaning.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const REPO = path.resolve(import.meta.dirname, '..');
const SPECS_DIR = process.env.BG_SPECS_DIR ?? path.join(REPO, 'specs');
const OUT_DIR = path.join(REPO, 'src/standards/berlin-group/v1.3/schemas');
const SOURCE = 'berlin-group/psd2-api_v1.3.12-2022-07-06.yaml';
const PIIS_CONSENT_SOURCE = 'berlin-group/psd2-confirmation-of-funds-consent-2.0-20190607.yaml';

/**
 * The request bodies the facade validates, by the file's own names: the AIS consent, the three
 * JSON payment initiations (the file's `paymentInitiation` request body is a oneOf of them), the
 * standing-order part of a periodic payment's multipart body (beside its pain.001), the
 * funds confirmation, and the authorisation updates a redirect flow can send (PSU password, and
 * the confirmation code the ASPSP may ask for after the redirect), and the signing basket. Add
 * names as routes arrive.
 */
const WANTED = {
  'psd2-api': {
    source: SOURCE,
    schemas: ['consents', 'paymentInitiation_json', 'periodicPaymentInitiation_json', 'periodicPaymentInitiation_xml-Part2-standingorderType_json', 'bulkPaymentInitiation_json', 'confirmationOfFunds', 'updatePsuAuthentication', 'authorisationConfirmation', 'signingBasket'],
  },
  // The confirmation-of-funds consent (v2.0) the funds confirmations of v1.3.12 may name.
  'piis-consent-v2': { source: PIIS_CONSENT_SOURCE, schemas: ['consentsConfirmationOfFunds'] },
};

const COMPONENT_REF = /^#\/components\/schemas\/([^/]+)$/;

/**
 * Provenance line of a source file in specs/SOURCES.md (repository, tag, commit); a line saying
 * "same as above" has the provenance of the line above it.
 */
function provenance(file) {
  const lines = readFileSync(path.join(SPECS_DIR, 'SOURCES.md'), 'utf8').split('\n');
  let index = lines.findIndex((l) => l.startsWith(`${file} `));
  if (index < 0) throw new Error(`no ${file} line in ${path.join(SPECS_DIR, 'SOURCES.md')}`);
  while (index > 0 && /same as above/.test(lines[index])) index--;
  const line = lines[index];
  const repository = /\s([A-Za-z0-9-]+\/[A-Za-z0-9._-]+),/.exec(line)?.[1];
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

/** `exclusiveMinimum: true` + `minimum: n` → `exclusiveMinimum: n`; `false` is the default and is dropped. */
function exclusiveBound(schema, bound, exclusive) {
  if (typeof schema[exclusive] !== 'boolean') return schema;
  const { [exclusive]: isExclusive, ...rest } = schema;
  if (!isExclusive) return rest;
  const { [bound]: limit, ...others } = rest;
  if (typeof limit !== 'number') throw new Error(`${exclusive}: true without a numeric ${bound}`);
  return { ...others, [exclusive]: limit };
}

function rewrite(node) {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node && typeof node === 'object') {
    const rewritten = Object.fromEntries(
      Object.entries(node).map(([key, value]) =>
        key === '$ref' && typeof value === 'string' ? [key, value.replace(COMPONENT_REF, '#/$defs/$1')] : [key, rewrite(value)],
      ),
    );
    return exclusiveBound(exclusiveBound(rewritten, 'minimum', 'exclusiveMinimum'), 'maximum', 'exclusiveMaximum');
  }
  return node;
}

/** The generated files: output path → content. */
export function extractBgSchemas() {
  const outputs = new Map();
  for (const [name, { source: SOURCE, schemas: wanted }] of Object.entries(WANTED)) {
    const source = provenance(SOURCE);
    const raw = readFileSync(path.join(SPECS_DIR, SOURCE));
    // The YAML 1.2 core schema (the package's default) keeps dates and the like as strings, as JSON would.
    const schemas = parse(raw.toString('utf8')).components?.schemas ?? {};
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const closure = new Set();
    const pending = [...wanted];
    while (pending.length > 0) {
      const next = pending.pop();
      if (closure.has(next)) continue;
      if (!(next in schemas)) throw new Error(`${SOURCE} has no component schema ${next}`);
      closure.add(next);
      const refs = new Set();
      collectRefs(schemas[next], refs);
      pending.push(...refs);
    }
    const document = {
      $comment:
        `GENERATED by scripts/extract-bg-schemas.mjs - do not edit. Source: ${SOURCE} from ${source.repository}` +
        `${source.tag ? ` (tag ${source.tag})` : ''} commit ${source.commit} (per specs/SOURCES.md), file sha256 ${sha256}. ` +
        `Schemas ${wanted.join(', ')} and their $ref closure, verbatim except #/components/schemas/ references rewritten to #/$defs/ and OpenAPI 3.0 boolean exclusiveMinimum/exclusiveMaximum written in JSON Schema form.`,
      $id: `berlin-group/v1.3/${name}.json`,
      $defs: Object.fromEntries([...closure].sort().map((key) => [key, rewrite(schemas[key])])),
    };
    outputs.set(path.join(OUT_DIR, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
  }
  return outputs;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const check = process.argv.includes('--check');
  const outputs = extractBgSchemas();
  let drifted = 0;
  for (const [file, content] of outputs) {
    const relative = path.relative(REPO, file);
    if (check) {
      if (!existsSync(file) || readFileSync(file, 'utf8') !== content) {
        console.error(`${relative} differs from what the official spec generates (run node scripts/extract-bg-schemas.mjs)`);
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
