import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { specsDir } from './manifest.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface OpenApiDocument {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> }> }>>;
  components: { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };
}

/**
 * Checks responses against the official UK OB v4.0 OpenAPI files (vendored under specs/): the
 * operation whose path template matches, its listed status, and the JSON schema of that response.
 */
export class ResponseSchemas {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly documents = new Map<string, OpenApiDocument>();

  constructor() {
    addFormats(this.ajv);
  }

  private document(spec: string): OpenApiDocument {
    let document = this.documents.get(spec);
    if (!document) {
      document = JSON.parse(fs.readFileSync(path.join(specsDir(), 'uk-obie', 'v4.0', `${spec}-openapi.json`), 'utf8')) as OpenApiDocument;
      this.ajv.addSchema({ ...document, $id: spec });
      this.documents.set(spec, document);
    }
    return document;
  }

  /** Undefined when the response is what the file defines; otherwise what is wrong. */
  check(spec: string, method: string, pathname: string, response: { status: number; text: string }): string | undefined {
    const document = this.document(spec);
    const server = new URL(document.servers?.[0]?.url ?? '/', 'https://bank.example').pathname.replace(/\/$/, '');
    const relative = new URL(pathname, 'https://bank.example').pathname.replace(/\/$/, '');
    const resourcePath = relative.startsWith(server) ? relative.slice(server.length) : relative;
    const template = Object.keys(document.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(resourcePath));
    if (!template) return undefined; // not an operation of the file (the suite's unknown-endpoint probes)
    const operation = document.paths[template]?.[method.toLowerCase()];
    if (!operation) return undefined;
    const listed = operation.responses[String(response.status)];
    if (!listed) return `${method.toUpperCase()} ${template} does not list status ${response.status}`;
    const definition = listed.$ref ? document.components.responses[listed.$ref.split('/').pop()!] : listed;
    const schemaRef = definition?.content?.['application/json']?.schema?.$ref ?? definition?.content?.['application/json; charset=utf-8']?.schema?.$ref;
    if (!schemaRef || response.text === '') return undefined;
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      return 'the body is not JSON';
    }
    const validate = this.ajv.getSchema(`${spec}${schemaRef}`);
    if (!validate) return `no schema ${schemaRef} in ${spec}`;
    return validate(body) ? undefined : this.ajv.errorsText(validate.errors, { separator: '; ' });
  }
}
