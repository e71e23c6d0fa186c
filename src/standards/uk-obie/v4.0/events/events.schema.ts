import { AppError } from '../../../../platform/errors/index.ts';
import { EventsErrors, type PollRequest } from '../../../../modules/events/index.ts';
import type { components } from '../_generated/events.ts';
import { obRequestSchema } from '../ob-request-validation.ts';

export type ObEventPolling1 = components['schemas']['OBEventPolling1'];

/** `POST /events` body: the official OBEventPolling1. */
export const eventPollingBody = obRequestSchema('events', 'OBEventPolling1');

/** The most notifications one poll answers with; a larger `maxEvents` is answered with this many and `moreAvailable`. */
export const POLL_MAX_EVENTS = 100;

/**
 * A poll in the module's terms (RFC 8936 §2.4): `maxEvents` left out is as many as one answer
 * holds; `returnImmediately` left out is false, a long poll; `setErrs` are the TPP's negative
 * acknowledgements, keyed by `jti`.
 */
export function pollRequestOf(body: ObEventPolling1): PollRequest {
  if (body.maxEvents !== undefined && body.maxEvents < 0) {
    throw new AppError(EventsErrors.POLL_INVALID, { message: 'maxEvents must not be negative', details: [{ path: 'maxEvents' }] });
  }
  return {
    maxEvents: Math.min(body.maxEvents ?? POLL_MAX_EVENTS, POLL_MAX_EVENTS),
    returnImmediately: body.returnImmediately ?? false,
    ack: body.ack ?? [],
    errors: Object.entries(body.setErrs ?? {}).map(([id, { err, description }]) => ({ id, error: err, description })),
  };
}
