import { readFileSync } from 'node:fs';
import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// Fastify's own validator options: no coercion, no defaults, no stripping. `example` is OpenAPI
// 3.0's annotation keyword; the file's `format: byte` is base64 (ajv-formats knows it).
const ajv = new Ajv({ strict: false, allErrors: false, coerceTypes: false, useDefaults: false, removeAdditional: false });
addFormats(ajv);
const DOCUMENT_ID = 'berlin-group/v1.3.12/psd2-api.request.json';
let names: ReadonlySet<string> | undefined;

function load(): ReadonlySet<string> {
  if (names) return names;
  const document = JSON.parse(readFileSync(new URL('./schemas/psd2-api.json', import.meta.url), 'utf8')) as { $defs: Record<string, unknown> };
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  return (names = new Set(Object.keys(document.$defs)));
}

/** A request-body schema: one component schema of the official v1.3.12 file (scripts/extract-bg-schemas.mjs). */
export function xs2aRequestSchema(name: string): AnySchema {
  if (!load().has(name)) throw new Error(`no schema ${name} in the extracted Berlin Group schemas (add it to scripts/extract-bg-schemas.mjs)`);
  return { $ref: `${DOCUMENT_ID}#/$defs/${name}` };
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
