import { Busboy } from '@fastify/busboy';
import { AppError, isAppError, type ErrorDetail } from '../../../../platform/errors/index.ts';
import { xs2aMemberOf } from '../xs2a-error-body.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { xs2aSchemaViolation } from '../xs2a-request-validation.ts';
import { pain001PathOf } from './xs2a-pain001-initiation.ts';
import type { Xs2aPeriodicPaymentInitiation } from './xs2a-periodic-payment.ts';

/** `periodicPaymentInitiationMultipartBody`: the pain.001 (part 1) and the standing order's terms (part 2). */
const XML_PART = 'xml_sct';
const JSON_PART = 'json_standingorderType';
const PARTS: readonly string[] = [XML_PART, JSON_PART];
/** The members of `periodicPaymentInitiation_xml-Part2-standingorderType_json`, read from part 2. */
const STANDING_ORDER_MEMBERS: readonly string[] = ['startDate', 'endDate', 'executionRule', 'frequency', 'dayOfExecution', 'monthsOfExecution'];

/** What part 2 says of the order. */
export type Xs2aStandingOrderPart = Pick<Xs2aPeriodicPaymentInitiation, 'startDate' | 'endDate' | 'executionRule' | 'frequency' | 'dayOfExecution' | 'monthsOfExecution'>;

const malformed = (message: string, path?: string) => new AppError(Xs2aErrors.PAIN001_INVALID, { message, details: [{ message, ...(path ? { path } : {}) }] });

/**
 * The two parts of a periodic payment's `multipart/form-data` body (NextGenPSD2 v1.3.12,
 * `periodicPaymentInitiationMultipartBody`), each exactly once and nothing else: `xml_sct`, the
 * pain.001 document as its bytes, and `json_standingorderType`, a JSON object held to the official
 * schema of part 2. Parsed by @fastify/busboy from the body as received (the Digest covers those
 * bytes); anything it cannot read — no boundary, a part cut short — is 400 FORMAT_ERROR.
 */
export async function readPeriodicMultipart(raw: Buffer, contentType: string): Promise<{ xml: Buffer; standingOrder: Xs2aStandingOrderPart }> {
  const parts = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    // Done when the parser has finished and every part's bytes are in.
    let reading = 0;
    let finished = false;
    const settle = () => finished && reading === 0 && resolve();
    let parser;
    try {
      // Every part is read as bytes ("a file"): the pain.001's own encoding is checked when it is read.
      parser = Busboy({ headers: { 'content-type': contentType }, isPartAFile: () => true, limits: { parts: PARTS.length + 1, fieldNameSize: 100 } });
    } catch {
      reject(malformed('The body is not multipart/form-data with a boundary'));
      return;
    }
    parser.on('file', (name: string, stream: NodeJS.ReadableStream) => {
      reading += 1;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (!PARTS.includes(name)) return reject(malformed(`The body has a part ${name.slice(0, 40)}; a periodic payment's has ${PARTS.join(' and ')}`, name.slice(0, 40)));
        if (parts.has(name)) return reject(malformed(`The part ${name} appears twice`, name));
        parts.set(name, Buffer.concat(chunks));
        reading -= 1;
        settle();
      });
    });
    parser.on('partsLimit', () => reject(malformed(`The body has more parts than ${PARTS.join(' and ')}`)));
    parser.on('error', () => reject(malformed('The body is not well-formed multipart/form-data')));
    parser.on('finish', () => {
      finished = true;
      settle();
    });
    parser.end(raw);
  });
  for (const name of PARTS) if (!parts.has(name)) throw malformed(`The part ${name} is missing`, name);
  return { xml: parts.get(XML_PART)!, standingOrder: standingOrderPartOf(parts.get(JSON_PART)!) };
}

/** Part 2: a JSON object of the official schema, members named by their own names in refusals. */
function standingOrderPartOf(content: Buffer): Xs2aStandingOrderPart {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(content));
  } catch {
    throw malformed(`The part ${JSON_PART} is not JSON in UTF-8`, JSON_PART);
  }
  const violation = xs2aSchemaViolation('periodicPaymentInitiation_xml-Part2-standingorderType_json', value);
  if (violation) {
    const path = violation.path.join('.') || JSON_PART;
    throw malformed(`${JSON_PART} ${path === JSON_PART ? '' : `${path} `}${violation.message}`, path);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(`The part ${JSON_PART} is not a JSON object`, JSON_PART);
  // Only the members of part 2: a payment member here would stand beside the pain.001's own.
  const entries = Object.entries(value).filter(([member]) => STANDING_ORDER_MEMBERS.includes(member));
  return Object.fromEntries(entries) as unknown as Xs2aStandingOrderPart;
}

/**
 * An error of the JSON rules about a multipart periodic payment, its paths named where the TPP
 * wrote them: a member of part 2 by its own name (`startDate`), one of the payment by the pain.001
 * element it was read from.
 */
export function inPeriodicMultipartTerms(error: unknown): unknown {
  if (!isAppError(error) || error.details.length === 0) return error;
  const details = error.details.map((detail): ErrorDetail => {
    const member = detail.path ?? (detail.field ? xs2aMemberOf(detail.field) : undefined);
    if (member === undefined) return detail;
    const { field: _field, ...rest } = detail;
    const top = member.split(/[.[]/)[0]!;
    return { ...rest, path: STANDING_ORDER_MEMBERS.includes(top) ? member : pain001PathOf('payments', member) };
  });
  return new AppError(error.definition, { message: error.message, details, cause: error.cause });
}
