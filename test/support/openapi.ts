import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The official specs, vendored verbatim in the repository (specs/, provenance in specs/SOURCES.md). */
export const SPECS_DIR = path.resolve(import.meta.dirname, '../../specs');

type SpecName = 'account-info' | 'payment-initiation' | 'confirmation-funds' | 'vrp' | 'event-notifications' | 'events';

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
const loaded = new Set<string>();

function specId(version: string, name: SpecName): string {
  return `uk-obie/${version}/${name}`;
}

function load(version: string, name: SpecName): void {
  const id = specId(version, name);
  if (loaded.has(id)) return;
  const document = JSON.parse(fs.readFileSync(path.join(SPECS_DIR, 'uk-obie', version, `${name}-openapi.json`), 'utf8')) as Record<string, unknown>;
  ajv.addSchema({ ...document, $id: id });
  loaded.add(id);
}

/**
 * A validator for one component schema of an official UK OB OpenAPI file, with its `$ref`s
 * resolved inside that file: responses are checked against the published schema, never a copy.
 */
export function obSchema(name: SpecName, schema: string, version = 'v4.0'): ValidateFunction {
  load(version, name);
  const ref = `${specId(version, name)}#/components/schemas/${schema}`;
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`no schema ${schema} in ${name} ${version}`);
  return validate;
}

const DCR_ID = 'uk-obie/dcr-v3.4';
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * A validator for a part of the official OB DCR v3.4 OpenAPI file, named by its JSON pointer
 * (e.g. `/components/schemas/RegistrationError`, or a response's schema), `$ref`s resolved inside it.
 */
export function dcrSchema(pointer: string): ValidateFunction {
  if (!loaded.has(DCR_ID)) {
    const file = path.join(SPECS_DIR, 'uk-obie', 'dcr-v3.4', 'client-registration-openapi.json');
    // The file's own formats: a compact JWS, and the request body (a JWT whose claims are OBClientRegistration1).
    ajv.addFormat('JWT', COMPACT_JWS);
    ajv.addFormat('OBClientRegistration1', COMPACT_JWS);
    ajv.addSchema({ ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>), $id: DCR_ID });
    loaded.add(DCR_ID);
  }
  const validate = ajv.getSchema(`${DCR_ID}#${pointer}`);
  if (!validate) throw new Error(`no ${pointer} in the DCR v3.4 OpenAPI file`);
  return validate;
}

/** Asserts that `value` matches the schema; the message lists every violation. */
export function assertMatchesSchema(value: unknown, validate: ValidateFunction): void {
  if (!validate(value)) {
    throw new Error(`response does not match the official schema:\n${ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(value, null, 2)}`);
  }
}

interface OperationDocument {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: { $ref?: string } }> }> }>>;
  components: { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> };
}
const documents = new Map<string, OperationDocument>();

function documentOf(name: SpecName, version: string): OperationDocument {
  const id = specId(version, name);
  let document = documents.get(id);
  if (!document) {
    document = JSON.parse(fs.readFileSync(path.join(SPECS_DIR, 'uk-obie', version, `${name}-openapi.json`), 'utf8')) as OperationDocument;
    documents.set(id, document);
  }
  return document;
}

/**
 * Validates a response against the official OpenAPI file by its operation: the path template
 * that matches `pathname` (under the file's server URL), the method, the status, the
 * `application/json` schema of that response. A status the operation does not list fails.
 */
export function assertObResponse(
  name: SpecName,
  method: string,
  pathname: string,
  response: { status: number; text: string; headers: Record<string, unknown> },
  version = 'v4.0',
): void {
  const document = documentOf(name, version);
  const server = new URL(document.servers?.[0]?.url ?? '/', 'https://bank.example').pathname.replace(/\/$/, '');
  const relative = new URL(pathname, 'https://bank.example').pathname.replace(/\/$/, '');
  if (!relative.startsWith(server)) throw new Error(`${pathname} is not under ${server}`);
  const resourcePath = relative.slice(server.length);
  const template = Object.keys(document.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(resourcePath));
  if (!template) throw new Error(`no operation for ${resourcePath} in ${name} ${version}`);
  const operation = document.paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`no ${method} ${template} in ${name} ${version}`);
  const listed = operation.responses[String(response.status)];
  if (!listed) throw new Error(`${method} ${template} does not list status ${response.status}: ${response.text}`);
  const definition = listed.$ref ? document.components.responses[listed.$ref.split('/').pop() as string] : listed;
  // The JSON media type as the file names it (the event APIs: `application/json; charset=utf-8`).
  const json = Object.entries(definition?.content ?? {}).find(([type]) => type.split(';')[0]!.trim() === 'application/json')?.[1];
  const schemaRef = json?.schema.$ref;
  if (!response.headers['x-fapi-interaction-id']) throw new Error(`${method} ${pathname}: no x-fapi-interaction-id`);
  if (!schemaRef) {
    // OB lists 401 and 405 without a body; an error body there must still be the standard's.
    if (response.text !== '' && response.status >= 400) assertMatchesSchema(JSON.parse(response.text), obSchema(name, 'OBErrorResponse1', version));
    else if (response.text !== '') throw new Error(`${method} ${template} ${response.status} has no body in the spec, got ${response.text}`);
    return;
  }
  assertMatchesSchema(JSON.parse(response.text), obSchema(name, schemaRef.split('/').pop() as string, version));
}
