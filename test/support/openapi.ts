import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The official specs, shared beside the repository (../shared/specs). */
export const SPECS_DIR = path.resolve(import.meta.dirname, '../../../shared/specs');

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
