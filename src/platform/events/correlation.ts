import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

/**
 * Runs `fn` as part of the interaction `id` (an HTTP request's `x-fapi-interaction-id`): the events
 * it records carry that id as their correlation id, so a TPP's notification names the call that
 * caused it (docs/events.md).
 */
export function runInInteraction<T>(id: string, fn: () => T): T {
  return current.run(id, fn);
}

/** The interaction the code runs for, if any. */
export function currentInteractionId(): string | undefined {
  return current.getStore();
}
