import { readFileSync } from 'node:fs';
import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// Fastify's own validator options: no coercion, no defaults, no stripping. `example` is OpenAPI
// 3.0's annotation keyword; the file's `format: byte` is base64 (ajv-formats knows it).
const ajv = new Ajv({ strict: false, allErrors: false, coerceTypes: false, useDefaults: false, removeAdditional: false });
addFormats(ajv);
/** The extracted documents: NextGenPSD2 v1.3.12, and the confirmation-of-funds consent v2.0. */
type Xs2aSchemaDocument = 'psd2-api' | 'piis-consent-v2';
const loaded = new Map<Xs2aSchemaDocument, ReadonlySet<string>>();
const documentId = (document: Xs2aSchemaDocument) => `berlin-group/${document}.request.json`;

function load(name: Xs2aSchemaDocument): ReadonlySet<string> {
  const known = loaded.get(name);
  if (known) return known;
  const document = JSON.parse(readFileSync(new URL(`./schemas/${name}.json`, import.meta.url), 'utf8')) as { $defs: Record<string, unknown> };
  ajv.addSchema({ ...document, $id: documentId(name) });
  const names = new Set(Object.keys(document.$defs));
  loaded.set(name, names);
  return names;
}

/** A request-body schema: one component schema of an official file (scripts/extract-bg-schemas.mjs). */
export function xs2aRequestSchema(name: string, document: Xs2aSchemaDocument = 'psd2-api'): AnySchema {
  if (!load(document).has(name)) throw new Error(`no schema ${name} in the extracted Berlin Group ${document} schemas (add it to scripts/extract-bg-schemas.mjs)`);
  return { $ref: `${documentId(document)}#/$defs/${name}` };
}

/** The `validatorCompiler` of the XS2A routes; violations answer 400 FORMAT_ERROR with the path. */
export const xs2aValidatorCompiler: FastifySchemaCompiler<AnySchema> = ({ schema }) => {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= ajv.compile(schema);
    const valid = compiled(data);
    validate.errors = valid ? null : (compiled.errors ?? []);
    return valid;
  }) as ValidateFunction;
  return validate;
};

const compiled = new Map<string, ValidateFunction>();

/**
 * The first way `value` breaks the official request schema `name`, or undefined when it matches:
 * for a body the facade derived itself (a pain.001 document's members), with the validator and
 * the rules of the JSON bodies. `path` is the member's, as segments.
 */
export function xs2aSchemaViolation(name: string, value: unknown): { path: string[]; message: string } | undefined {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(xs2aRequestSchema(name));
    compiled.set(name, validate);
  }
  if (validate(value)) return undefined;
  const issue = validate.errors?.[0];
  const member = issue?.params['missingProperty'] ?? issue?.params['additionalProperty'];
  const path = (issue?.instancePath ?? '').split('/').filter(Boolean);
  if (typeof member === 'string') path.push(member);
  return { path, message: issue?.message ?? 'is invalid' };
}
