import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const INTERACTION_ID_HEADER = 'x-fapi-interaction-id';

// Echoed values are restricted to what fits an audit id and a header: no control characters, bounded.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * FAPI 1.0 Part 1 §6.2.1-11: the response carries the `x-fapi-interaction-id` received from the
 * client, or a new RFC 4122 UUID when none (or an unusable one) was sent. Used as Fastify's request
 * id, so every log line and error body of a request carries it.
 */
export function interactionIdFor(request: IncomingMessage): string {
  const received = request.headers[INTERACTION_ID_HEADER];
  const value = Array.isArray(received) ? received[0] : received;
  return value !== undefined && ACCEPTABLE.test(value) ? value : randomUUID();
}
