import type { Assertion, AssertionMatch, ConformanceScript } from './manifest.ts';
import { jsonPath } from './json-path.ts';

export interface ObservedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/** The outcome of one named assertion: passed, or why not. */
export interface AssertionOutcome {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

const headerOf = (response: ObservedResponse, name: string) => {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
};
const normaliseMediaType = (value: string) => value.toLowerCase().replace(/\s+/g, '');

function parseBody(response: ObservedResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    return undefined;
  }
}

function checkMatch(match: AssertionMatch, response: ObservedResponse, body: unknown, resolve: (text: string) => string): string | undefined {
  if (match['header-present'] !== undefined) {
    const actual = headerOf(response, match['header-present']);
    if (actual === undefined || actual === '') return `header ${match['header-present']} is missing`;
    if (match.value !== undefined && normaliseMediaType(actual) !== normaliseMediaType(resolve(match.value))) {
      return `header ${match['header-present']} is "${actual}", expected "${resolve(match.value)}"`;
    }
    return undefined;
  }
  if (match.header !== undefined) {
    const actual = headerOf(response, match.header);
    const expected = resolve(match.value ?? '');
    return actual === expected ? undefined : `header ${match.header} is "${actual ?? ''}", expected "${expected}"`;
  }
  if (match['JSON-NOT-PRESENT'] !== undefined) {
    return jsonPath(body, match['JSON-NOT-PRESENT']) === undefined ? undefined : `${match['JSON-NOT-PRESENT']} is present`;
  }
  if (match.JSON !== undefined) {
    const actual = jsonPath(body, match.JSON);
    if (actual === undefined || actual === null || actual === '') return `${match.JSON} is missing`;
    if (match.Value !== undefined && String(actual) !== match.Value) return `${match.JSON} is "${String(actual)}", expected "${match.Value}"`;
    return undefined;
  }
  return 'the assertion has no match the runner understands';
}

/** Evaluates one assertion of assertions.json against a response. */
export function evaluateAssertion(name: string, assertion: Assertion | undefined, response: ObservedResponse, resolve: (text: string) => string): AssertionOutcome {
  if (!assertion) return { name, passed: false, detail: `unknown assertion ${name}` };
  const { expect } = assertion;
  if (expect['status-code'] !== undefined && response.status !== expect['status-code']) {
    return { name, passed: false, detail: `status ${response.status}, expected ${expect['status-code']}` };
  }
  const body = parseBody(response);
  for (const match of expect.matches ?? []) {
    const failure = checkMatch(match, response, body, resolve);
    if (failure) return { name, passed: false, detail: failure };
  }
  return { name, passed: true, detail: expect.detail ?? expect.matches?.[0]?.detail ?? 'ok' };
}

/**
 * A script's verdict: every `asserts` entry, at least one of `asserts_one_of`, and for
 * `asserts_last_if_all` the last entry whenever all the others hold.
 */
export function checkScript(
  script: ConformanceScript,
  assertions: Readonly<Record<string, Assertion>>,
  response: ObservedResponse,
  resolve: (text: string) => string,
): { passed: boolean; outcomes: AssertionOutcome[] } {
  const evaluate = (name: string) => evaluateAssertion(name, assertions[name], response, resolve);
  const outcomes = (script.asserts ?? []).map(evaluate);
  let passed = outcomes.every((o) => o.passed);
  if (script.asserts_one_of?.length) {
    const oneOf = script.asserts_one_of.map(evaluate);
    const any = oneOf.some((o) => o.passed);
    outcomes.push({ name: `one of ${script.asserts_one_of.join(', ')}`, passed: any, detail: any ? 'ok' : oneOf.map((o) => `${o.name}: ${o.detail}`).join('; ') });
    passed &&= any;
  }
  if (script.asserts_last_if_all?.length) {
    const names = script.asserts_last_if_all;
    const conditions = names.slice(0, -1).map(evaluate);
    const applies = conditions.every((o) => o.passed);
    const last = applies ? evaluate(names.at(-1)!) : { name: names.at(-1)!, passed: true, detail: 'not required: its conditions do not all hold' };
    outcomes.push(...conditions.map((o) => ({ ...o, passed: true, detail: `condition ${o.passed ? 'holds' : 'does not hold'}: ${o.detail}` })), last);
    passed &&= last.passed;
  }
  if (outcomes.length === 0) outcomes.push({ name: 'response', passed: response.status < 500, detail: `status ${response.status}` });
  return { passed: passed && outcomes.every((o) => o.passed), outcomes };
}
