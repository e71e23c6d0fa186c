import type { FastifyReply } from 'fastify';
import type { SecurityStep } from './security-context.ts';

/**
 * Independent steps run side by side (each is still a whole named check): the request passes when
 * every one passes. When several fail, the first in the order given is the refusal, exactly as if
 * they ran one after another, and only the response headers of that step (and of the steps that
 * passed) are sent. Used where two checks each wait on the shared cache, to wait once.
 */
export function runConcurrently(...steps: SecurityStep[]): SecurityStep {
  return async (request, reply) => {
    const headers = steps.map(() => [] as Array<[string, string]>);
    const outcomes = await Promise.allSettled(steps.map((step, i) => step(request, headerRecorder(headers[i]!))));
    const refusal = outcomes.findIndex((outcome) => outcome.status === 'rejected');
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled' || i === refusal) for (const [name, value] of headers[i]!) reply.header(name, value);
    });
    if (refusal >= 0) throw (outcomes[refusal] as PromiseRejectedResult).reason;
  };
}

/** The part of the reply a security step may touch: it sets headers (e.g. `WWW-Authenticate`). */
function headerRecorder(into: Array<[string, string]>): FastifyReply {
  const recorder = {
    header(name: string, value: string) {
      into.push([name, value]);
      return recorder;
    },
  };
  return recorder as unknown as FastifyReply;
}
