import { readFileSync } from 'node:fs';
import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The official v4.0 OpenAPI files whose schemas are extracted into ./schemas (scripts/extract-ob-schemas.mjs). */
export type ObSpec = 'account-info' | 'payment-initiation' | 'confirmation-funds' | 'vrp' | 'events';

type JsonObject = { [key: string]: unknown };

/**
 * Request schemas are closed: an object schema that does not say `additionalProperties` refuses
 * unknown members (400 U005 Field.Unexpected) instead of silently ignoring them. The official
 * schemas leave most request objects open (OBReadConsent1 and its Data), but a field the bank does
 * not understand is one it cannot honour, and accepting it would let a TPP believe it had been.
 * Members of `allOf` stay open, since each describes only part of the object.
 */
function closeObjects(node: unknown, inAllOf = false): unknown {
  if (Array.isArray(node)) return node.map((item) => closeObjects(item, inAllOf));
  if (!node || typeof node !== 'object') return node;
  const schema = node as JsonObject;
  const closed: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === '$defs') {
      closed[key] = Object.fromEntries(Object.entries(value as JsonObject).map(([name, child]) => [name, closeObjects(child)]));
    } else if (key === 'items' || key === 'anyOf' || key === 'oneOf' || key === 'not') {
      closed[key] = closeObjects(value);
    } else if (key === 'allOf') {
      closed[key] = closeObjects(value, true);
    } else {
      closed[key] = value;
    }
  }
  const isObject = schema['type'] === 'object' || 'properties' in schema;
  if (isObject && !inAllOf && !('additionalProperties' in schema)) closed['additionalProperties'] = false;
  return closed;
}

// Fastify's own validator options (build-http-server.ts): no coercion, no defaults, no stripping.
// `example` is OpenAPI 3.0's annotation keyword and `x-namespaced-enum` the OB files' annotation of
// namespaced code lists (OB: ASPSPs may accept codes of other namespaces, so it is not an `enum`);
// everything else is plain JSON Schema, checked strictly.
const ajv = new Ajv({ strict: true, strictTypes: false, allErrors: false, coerceTypes: false, useDefaults: false, removeAdditional: false, keywords: ['example', 'x-namespaced-enum'] });
addFormats(ajv);

/** The component schema names of each extracted document added to `ajv`. */
const loaded = new Map<ObSpec, ReadonlySet<string>>();

function requestDocumentId(spec: ObSpec): string {
  return `uk-obie/v4.0/${spec}.request.json`;
}

function load(spec: ObSpec): ReadonlySet<string> {
  const known = loaded.get(spec);
  if (known) return known;
  const document = JSON.parse(readFileSync(new URL(`./schemas/${spec}.json`, import.meta.url), 'utf8')) as JsonObject;
  ajv.addSchema({ ...(closeObjects(document) as JsonObject), $id: requestDocumentId(spec) });
  const names = new Set(Object.keys((document['$defs'] ?? {}) as JsonObject));
  loaded.set(spec, names);
  return names;
}

/**
 * A request-body schema for a route: a reference to one component schema of an official v4.0 file
 * (as extracted into ./schemas), validated by `obValidatorCompiler`.
 */
export function obRequestSchema(spec: ObSpec, name: string): AnySchema {
  if (!load(spec).has(name)) throw new Error(`no schema ${name} in the extracted ${spec} schemas (add it to scripts/extract-ob-schemas.mjs)`);
  return { $ref: `${requestDocumentId(spec)}#/$defs/${name}` };
}

/**
 * The route `validatorCompiler` for OB v4.0 routes: compiles their schemas (official ones through
 * `obRequestSchema`, or small local ones for params) in an Ajv instance that knows the extracted
 * documents. Violations reach the error handler as Fastify validation errors (400 OBErrorResponse1).
 */
export const obValidatorCompiler: FastifySchemaCompiler<AnySchema> = ({ schema }) => {
  // Compiled on first use: compiling every route's official schema when the routes are registered
  // took about a fifth of the server's start-up CPU (bench:startup), for routes a deployment may
  // never be called on. The schemas are committed files exercised by the route tests.
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= ajv.compile(schema);
    const valid = compiled(data);
    validate.errors = valid ? null : (compiled.errors ?? []).map(explainEnum);
    return valid;
  }) as ValidateFunction;
  return validate;
};

/**
 * A violated `enum` says which values are allowed (Ajv's own text only says that some are), so the
 * OB error Message tells the TPP what to send. Fastify reads the violations from `errors`.
 */
function explainEnum(error: ErrorObject): ErrorObject {
  const allowed = error.keyword === 'enum' ? (error.params as { allowedValues?: unknown }).allowedValues : undefined;
  if (!Array.isArray(allowed)) return error;
  return { ...error, message: `must be one of: ${allowed.map(String).join(', ')}` };
}
