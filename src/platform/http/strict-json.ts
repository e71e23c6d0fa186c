import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/index.ts';
import { HttpErrors } from './http.errors.ts';
import { isStorableText } from './storable-text.ts';

/**
 * How deep a JSON body may nest. The deepest OB v4.0 request bodies nest about eight levels
 * (Data.Initiation.…); anything far deeper is an attack on whatever walks the value recursively.
 */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** RFC 8259 §8.1: JSON exchanged between systems is UTF-8; anything else is refused, never patched up. */
function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AppError(HttpErrors.INVALID_UTF8);
  }
}

function pathOf(frames: readonly Frame[]): string | undefined {
  let path = '';
  for (const frame of frames) {
    if (frame.keys) path += path === '' ? frame.name : `.${frame.name}`;
    else path += `[${frame.index}]`;
  }
  return path === '' ? undefined : path;
}

interface Frame {
  /** The member names seen so far, for objects; null for arrays. */
  readonly keys: Set<string> | null;
  /** The member being read (objects) or the element's position (arrays). */
  name: string;
  index: number;
}

/**
 * The rules a JSON body must meet beyond `JSON.parse`, checked over the text of a body that already
 * parsed (so the scan may assume valid JSON):
 * - no member named twice in one object (RFC 8259 §4 leaves duplicates to the parser: `JSON.parse`
 *   keeps the last one, while the TPP's detached JWS covers both; a body that means two things to two
 *   readers is refused — attack: duplicate JSON keys);
 * - no string (member name or value) that storage cannot hold: NUL or an unpaired surrogate;
 * - no number outside the IEEE 754 double range (`1e999` would silently become Infinity);
 * - nesting at most MAX_JSON_DEPTH.
 */
export function checkJsonText(text: string): void {
  const frames: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string token: find its closing quote (escapes skip the next character).
      let end = i + 1;
      while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
      const raw = text.slice(i + 1, end);
      const value = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
      const frame = frames.at(-1);
      if (expectKey && frame?.keys) {
        if (frame.keys.has(value)) {
          frame.name = value;
          throw new AppError(HttpErrors.DUPLICATE_MEMBER, { details: [{ path: pathOf(frames) }] });
        }
        frame.keys.add(value);
        frame.name = value;
        expectKey = false;
      }
      if (!isStorableText(value)) throw new AppError(HttpErrors.UNSTORABLE_TEXT, { details: [{ path: pathOf(frames) }] });
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      frames.push({ keys: c === 0x7b ? new Set() : null, name: '', index: 0 });
      if (frames.length > MAX_JSON_DEPTH) throw new AppError(HttpErrors.NESTING_TOO_DEEP, { details: [{ path: pathOf(frames.slice(0, -1)) }] });
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      frames.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      const frame = frames.at(-1);
      if (frame && !frame.keys) frame.index += 1;
      expectKey = frame?.keys != null;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && /[0-9eE+\-.]/.test(text[end]!)) end++;
      if (!Number.isFinite(Number(text.slice(i, end)))) throw new AppError(HttpErrors.NUMBER_OUT_OF_RANGE, { details: [{ path: pathOf(frames) }] });
      i = end - 1;
    }
  }
}

type Done = (error: Error | null, body?: unknown) => void;

/** A Fastify `application/json` parser (parseAs: 'buffer') applying the rules above. */
export type StrictJsonParser = (request: FastifyRequest, body: Buffer, done: Done) => void;

/**
 * The server's JSON body parser: UTF-8 only, Fastify's own `JSON.parse` with its prototype-poisoning
 * settings (an `__proto__` member is refused), then `checkJsonText`. Route families that keep the
 * raw bytes (for a detached JWS) parse with the same function, so every JSON body meets one rule.
 */
export function strictJsonParser(app: FastifyInstance): StrictJsonParser {
  const parseJson = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error');
  return (request, bytes, done) => {
    let text: string;
    try {
      text = decodeUtf8(bytes);
    } catch (error) {
      done(error as Error);
      return;
    }
    parseJson(request, text, (error, value) => {
      if (error) return done(error);
      try {
        checkJsonText(text);
      } catch (failure) {
        return done(failure as Error);
      }
      done(null, value);
    });
  };
}

/** Replaces the JSON parser of `app` (and the scopes it encapsulates) with `parser`. */
export function useJsonParser(app: FastifyInstance, parser: StrictJsonParser): void {
  if (app.hasContentTypeParser('application/json')) app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => parser(request, body as Buffer, done));
}
