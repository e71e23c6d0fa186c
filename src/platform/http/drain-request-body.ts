import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** How much of an unread request body is read and discarded before answering, and for how long. */
export interface DrainLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

/**
 * Reads and discards the rest of a request body; true once the client sent all of it, false when
 * the limits ran out (or the connection went away) first.
 */
export function drainRequestBody(raw: IncomingMessage, limits: DrainLimits): Promise<boolean> {
  // `complete` is Node's flag (false until the whole message arrived); injected requests have none.
  if (raw.complete !== false || raw.readableEnded) return Promise.resolve(true);
  if (raw.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let received = 0;
    const finish = (drained: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('close', onClose);
      raw.off('error', onClose);
      resolve(drained);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(raw.complete);
    const timer = setTimeout(() => finish(false), limits.timeoutMs);
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('close', onClose);
    raw.once('error', onClose);
    raw.resume();
  });
}

/**
 * Answers only once the client has finished sending. A response sent while the body is still
 * arriving (413 on `Content-Length`, a 401 before the body is read, any parse error) is followed by
 * the connection closing (Fastify closes after body errors; a client may ask for it), and the bytes
 * still in flight then meet a TCP reset that can destroy the response before the client reads it:
 * the client sees "connection reset" instead of the 413. Reading the rest first (bounded by
 * `limits`; past them the connection is closed anyway) lets every client read its answer.
 */
export function installDrainBeforeAnswer(app: FastifyInstance, limits: DrainLimits): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.raw.complete === false && !(await drainRequestBody(request.raw, limits))) reply.header('connection', 'close');
    return payload;
  });
}
