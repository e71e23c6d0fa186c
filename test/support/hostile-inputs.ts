import fc from 'fast-check';

/**
 * What the schema-derived fuzz tests of both facades send: values generated from an OpenAPI
 * file's request schemas with hostile leaves and wrong types mixed in, whole-body corruptions and
 * hostile path segments.
 */
export type Schema = Record<string, unknown>;

/** A JSON token written as is (numbers JSON.stringify cannot produce). */
export class Raw {
  constructor(readonly text: string) {}
}

export function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

const HOSTILE_TEXT = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\udbff\udbff',
  '../../../etc/passwd',
  '%00',
  "'; DROP TABLE consents; --",
  '<script>alert(1)</script>',
  '\u202e\u2066',
  '😀'.repeat(40),
  'é'.repeat(300),
  'x'.repeat(5000),
  '',
  ' ',
  '\r\n\t',
  '1e999',
  '-1',
  '0.0000000001',
  '99999999999999999999999.99',
  'NaN',
  'null',
  '__proto__',
  '2026-02-30T25:61:61Z',
  '2026-02-30',
  '20160101T104012.345Z',
  'DE00000000000000000000',
  'GB33BUKB20201555555555',
];

export const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(new Raw('1e999'), new Raw('-1e999'), new Raw('123456789012345678901234567890123456789'), new Raw('-0'), new Raw('1E-400'), new Raw('0.1e1')),
  fc.double(),
  fc.integer(),
);

/** Something of the wrong type wherever it is put. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  hostileNumber,
  hostileText,
  fc.constant([]),
  fc.constant({}),
  fc.dictionary(hostileText, hostileText, { maxKeys: 3 }),
  fc.array(hostileText, { maxLength: 3 }),
);

/** A schema with its `$ref`s followed within `document`. */
export function resolveSchema(schema: Schema, document: Schema): Schema {
  let current = schema;
  for (let i = 0; i < 20 && typeof current['$ref'] === 'string'; i++) {
    current = (current['$ref'] as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Schema)[key.replace(/~1/g, '/').replace(/~0/g, '~')], document) as Schema;
  }
  return current;
}

/** Valid strings for a string schema the generic generators would miss (amounts, say); undefined for the default. */
export type StringHint = (node: Schema) => fc.Arbitrary<string> | undefined;

/** A value for `schema`, mostly of the right shape, with hostile leaves and wrong types mixed in. */
export function arbitraryFor(schema: Schema, document: Schema, hint: StringHint = () => undefined, depth = 0): fc.Arbitrary<unknown> {
  const node = resolveSchema(schema, document);
  if (depth > 10) return fc.constant(null);
  return fc.oneof({ weight: 12, arbitrary: shapedFor(node, document, hint, depth) }, { weight: 1, arbitrary: wrongType });
}

function shapedFor(node: Schema, document: Schema, hint: StringHint, depth: number): fc.Arbitrary<unknown> {
  const child = (schema: Schema) => arbitraryFor(schema, document, hint, depth + 1);
  const alternatives = (node['oneOf'] ?? node['anyOf']) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map(child));
  if (Array.isArray(node['allOf'])) {
    const merged: Schema = { type: 'object', properties: {}, required: [] };
    for (const part of node['allOf'] as Schema[]) {
      const resolved = resolveSchema(part, document);
      Object.assign(merged['properties'] as Schema, resolved['properties'] ?? {});
      (merged['required'] as string[]).push(...((resolved['required'] as string[] | undefined) ?? []));
    }
    return shapedFor(merged, document, hint, depth);
  }
  if (Array.isArray(node['enum'])) return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...(node['enum'] as unknown[])) }, { weight: 1, arbitrary: hostileText });
  const type = node['type'] ?? (node['properties'] ? 'object' : undefined);
  if (type === 'object') {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, schema] of Object.entries((node['properties'] ?? {}) as Record<string, Schema>)) model[name] = child(schema);
    const required = ((node['required'] as string[] | undefined) ?? []).filter((name) => name in model);
    const record = fc.record(model, { requiredKeys: required });
    // Now and then a member nobody declared, with a hostile name.
    return fc.oneof({ weight: 8, arbitrary: record }, { weight: 1, arbitrary: fc.tuple(record, hostileText, hostileText).map(([r, k, v]) => ({ ...r, [k]: v })) });
  }
  if (type === 'array') return fc.array(child((node['items'] ?? {}) as Schema), { maxLength: 3 });
  if (type === 'integer' || type === 'number') return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 1000 }) }, { weight: 1, arbitrary: hostileNumber });
  if (type === 'boolean') return fc.boolean();
  if (type === 'string') {
    const format = node['format'];
    const valid =
      format === 'date-time'
        ? fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
        : format === 'date'
          ? fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
          : typeof node['example'] === 'string'
            ? fc.constant(node['example'])
            : (hint(node) ?? fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme-ascii' }));
    return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 2, arbitrary: hostileText });
  }
  return wrongType;
}

function leavesOf(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((item, i) => leavesOf(item, [...at, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leavesOf(item, [...at, key]));
  return [at];
}

function replaced(value: unknown, at: ReadonlyArray<string | number>, leaf: unknown): unknown {
  if (at.length === 0) return leaf;
  const [head, ...rest] = at;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = replaced(copy[head!], rest, leaf);
  return copy;
}

/** A valid body as is, or with one leaf replaced by something hostile: past the schema, into the use case. */
export function withOneHostileLeaf(body: unknown): fc.Arbitrary<unknown> {
  const leaves = leavesOf(body);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(body) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...leaves), fc.oneof(hostileText, wrongType)).map(([at, leaf]) => replaced(body, at, leaf)) },
  );
}

/** Whole-body corruptions applied after serialisation. */
export type BodyMutation = 'none' | 'duplicate-member' | 'deep-nesting' | 'invalid-utf8' | 'truncated' | 'bom' | 'empty' | 'nul-escape';
export const bodyMutation = fc.oneof(
  { weight: 10, arbitrary: fc.constant<BodyMutation>('none') },
  { weight: 1, arbitrary: fc.constantFrom<BodyMutation>('duplicate-member', 'deep-nesting', 'invalid-utf8', 'truncated', 'bom', 'empty', 'nul-escape') },
);

/** The serialised body corrupted; `member` is a top-level member name of the facade's bodies (`Data`, `access`). */
export function mutate(json: string, mutation: BodyMutation, depth: number, member: string): Buffer {
  switch (mutation) {
    case 'duplicate-member':
      return Buffer.from(json.startsWith('{"') ? json.replace(/^\{("[^"]*"):/, '{$1:{"amount":"1.00"},$1:') : `{"${member}":1,"${member}":${json}}`);
    case 'deep-nesting':
      return Buffer.from(`{"${member}":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    case 'invalid-utf8':
      return Buffer.concat([Buffer.from(json.slice(0, Math.max(1, json.length >> 1))), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from(json.slice(Math.max(1, json.length >> 1)))]);
    case 'truncated':
      return Buffer.from(json.slice(0, Math.max(0, json.length - 3)));
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]);
    case 'empty':
      return Buffer.alloc(0);
    case 'nul-escape':
      return Buffer.from(json.replace(/"([^"\\]{1,8})"/, '"$1\\u0000"'));
    default:
      return Buffer.from(json);
  }
}

export const HOSTILE_SEGMENTS = ['%00', 'a%00b', '..', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f', '%ED%A0%80', '%zz', '%C0%AE', '%FF', 'x'.repeat(300), '%E2%82%AC', ';x=1', '%20', 'null', '-1', '0'];

/** Text as a path segment or query value, an unpaired surrogate as its UTF-8-like bytes. */
export function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}
