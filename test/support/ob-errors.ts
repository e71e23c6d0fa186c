import assert from 'node:assert/strict';
import type { HttpsResponse } from './https-client.ts';

/** An OBErrorResponse1 body as the UK OB specs define it. */
export interface ObError {
  Errors: Array<{ ErrorCode: string; Path?: string }>;
}

/** The response is the OB error `code` with `status`, and leaks no resource `Data`. */
export function expectObError(response: HttpsResponse, status: number, code: string): void {
  assert.equal(response.status, status, response.text);
  assert.equal(response.json<ObError>().Errors[0]?.ErrorCode, code, response.text);
  assert.doesNotMatch(response.text, /"Data"/);
}
