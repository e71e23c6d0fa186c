import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

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

/** The Berlin Group files: NextGenPSD2 v1.3.12, and the confirmation-of-funds consent v2.0 its PIIS may use. */
const BG_FILES = {
  'berlin-group/psd2-api_v1.3.12': path.join(SPECS_DIR, 'berlin-group', 'psd2-api_v1.3.12-2022-07-06.yaml'),
  'berlin-group/piis-consent-v2.0': path.join(SPECS_DIR, 'berlin-group', 'psd2-confirmation-of-funds-consent-2.0-20190607.yaml'),
} as const;
type BgSpec = keyof typeof BG_FILES;
const BG_ID: BgSpec = 'berlin-group/psd2-api_v1.3.12';
// Its own instance: the file's regular expressions are ECMA-262 ones written for the non-Unicode
// mode (`cardAcceptorPhone` escapes `-` outside a class, a syntax error under the `u` flag ajv uses
// by default), and the permissive formats below must not loosen the UK OB validators.
const bgAjv = new Ajv({ strict: false, allErrors: true, validateFormats: true, unicodeRegExp: false });
addFormats(bgAjv);

type Json = { [key: string]: unknown };
interface BgMediaType { schema?: unknown }
interface BgResponse { $ref?: string; content?: Record<string, BgMediaType> }
interface BgDocument {
  paths: Record<string, Record<string, { responses?: Record<string, BgResponse> }>>;
  components: { schemas: Json; responses: Record<string, BgResponse> };
}
const bgDocuments = new Map<BgSpec, BgDocument>();

/**
 * OpenAPI 3.0 writes an exclusive bound as a boolean modifier of `minimum`/`maximum`
 * (the file: `frequencyPerDay`, `exclusiveMinimum: false`); JSON Schema, which ajv implements,
 * makes it the bound itself and refuses a boolean. Rewritten with the same meaning.
 */
function openApi30Bounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApi30Bounds);
  if (!node || typeof node !== 'object') return node;
  const schema = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, openApi30Bounds(value)])) as Json;
  for (const [bound, exclusive] of [['minimum', 'exclusiveMinimum'], ['maximum', 'exclusiveMaximum']] as const) {
    const isExclusive = schema[exclusive];
    if (typeof isExclusive !== 'boolean') continue;
    delete schema[exclusive];
    if (isExclusive && typeof schema[bound] === 'number') {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    }
  }
  return schema;
}

/** Every `format` the file names, so that ones ajv-formats does not define can be added as permissive. */
function formatsOf(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => formatsOf(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'format' && typeof value === 'string') found.add(value);
      else formatsOf(value, found);
    }
  }
  return found;
}

/**
 * The confirmation-of-funds consent v2.0 file refers to component schemas it does not define
 * (`tppMessageGeneric`, a NextGenPSD2 schema): those are taken from the v1.3.12 file of the same
 * family, with what they refer to, so its responses can be validated at all.
 */
function borrowMissingSchemas(document: BgDocument, from: BgDocument): void {
  for (;;) {
    const refs = new Set<string>();
    (function collect(node: unknown): void {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          const name = key === '$ref' && typeof value === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(value)?.[1] : undefined;
          if (name) refs.add(name);
          else collect(value);
        }
      }
    })(document);
    const missing = [...refs].filter((name) => !(name in document.components.schemas) && name in from.components.schemas);
    if (missing.length === 0) return;
    for (const name of missing) document.components.schemas[name] = from.components.schemas[name];
  }
}

/** An official Berlin Group OpenAPI file (YAML only, as published), added to `bgAjv` once. */
function bgLoad(spec: BgSpec = BG_ID): BgDocument {
  let document = bgDocuments.get(spec);
  if (!document) {
    document = openApi30Bounds(parseYaml(fs.readFileSync(BG_FILES[spec], 'utf8'))) as BgDocument;
    if (spec !== BG_ID) borrowMissingSchemas(document, bgLoad(BG_ID));
    // A format ajv-formats does not define would fail compilation; the file's own formats are
    // checked by ajv-formats where it knows them and accepted otherwise.
    for (const format of formatsOf(document, new Set())) if (!(format in bgAjv.formats)) bgAjv.addFormat(format, true);
    bgAjv.addSchema({ ...(document as unknown as Json), $id: spec });
    bgDocuments.set(spec, document);
  }
  return document;
}

/** `~` and `/` escaped for a JSON pointer segment. */
function pointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A validator for one component schema of the official Berlin Group NextGenPSD2 v1.3.12 OpenAPI
 * file (e.g. `consents`, `consentsResponse-201`), with its `$ref`s resolved inside that file.
 */
export function bgSchema(schemaName: string): ValidateFunction {
  if (!(schemaName in bgLoad().components.schemas)) throw new Error(`no component schema ${schemaName} in NextGenPSD2 v1.3.12`);
  const validate = bgAjv.getSchema(`${BG_ID}#/components/schemas/${pointerSegment(schemaName)}`);
  if (!validate) throw new Error(`cannot compile ${schemaName} of NextGenPSD2 v1.3.12`);
  return validate;
}

/**
 * A validator for the response body of an operation as the NextGenPSD2 v1.3.12 file defines it:
 * `pathTemplate` exactly as the file writes it (`/v1/consents/{consentId}`,
 * `/v1/{payment-service}/{payment-product}`), the method, the status, the media type's schema,
 * through the file's shared `#/components/responses/...` where the operation refers to one.
 * A status the operation does not list, or one listed without a body of that type, fails.
 */
export function bgResponseSchema(pathTemplate: string, method: string, status: number, mediaType = 'application/json', spec: BgSpec = BG_ID): ValidateFunction {
  const document = bgLoad(spec);
  const operations = document.paths[pathTemplate];
  if (!operations) throw new Error(`no path ${pathTemplate} in NextGenPSD2 v1.3.12 (use the template as the file writes it)`);
  const verb = method.toLowerCase();
  const listed = operations[verb]?.responses?.[String(status)];
  if (!listed) throw new Error(`${method} ${pathTemplate} lists no status ${status} in NextGenPSD2 v1.3.12`);
  const shared = /^#\/components\/responses\/([^/]+)$/.exec(listed.$ref ?? '')?.[1];
  if (listed.$ref && !shared) throw new Error(`unsupported response $ref ${listed.$ref}`);
  const response = shared ? document.components.responses[shared] : listed;
  if (!response?.content?.[mediaType]?.schema) throw new Error(`${method} ${pathTemplate} ${status} has no ${mediaType} body in NextGenPSD2 v1.3.12`);
  const pointer = shared
    ? `/components/responses/${pointerSegment(shared)}`
    : `/paths/${pointerSegment(pathTemplate)}/${verb}/responses/${status}`;
  const validate = bgAjv.getSchema(`${spec}#${pointer}/content/${pointerSegment(mediaType)}/schema`);
  if (!validate) throw new Error(`cannot compile the ${status} ${mediaType} body of ${method} ${pathTemplate}`);
  return validate;
}

/** A component schema of the confirmation-of-funds consent v2.0 file. */
export function bgPiisConsentSchema(schemaName: string): ValidateFunction {
  const spec: BgSpec = 'berlin-group/piis-consent-v2.0';
  if (!(schemaName in bgLoad(spec).components.schemas)) throw new Error(`no component schema ${schemaName} in the confirmation-of-funds consent v2.0`);
  const validate = bgAjv.getSchema(`${spec}#/components/schemas/${pointerSegment(schemaName)}`);
  if (!validate) throw new Error(`cannot compile ${schemaName} of the confirmation-of-funds consent v2.0`);
  return validate;
}

/** `bgResponseSchema` for the confirmation-of-funds consent v2.0 file (`/v2/consents/confirmation-of-funds…`). */
export function bgPiisConsentResponseSchema(pathTemplate: string, method: string, status: number): ValidateFunction {
  return bgResponseSchema(pathTemplate, method, status, 'application/json', 'berlin-group/piis-consent-v2.0');
}
