import { randomUUID } from 'node:crypto';
import { AppError } from '../../platform/errors/index.ts';
import { checkCallbackUrl, type CallbackUrlRules } from './callback-url-rules.ts';
import type { EventSubscription, SubscriptionRequest } from './events-model.ts';
import { EventsErrors } from './events.errors.ts';
import type { EventsRepository } from './events.repository.port.ts';

export interface SubscriptionDeps {
  readonly repository: EventsRepository;
  readonly callbackUrls: CallbackUrlRules;
}

/** The request with its callback URL checked (and normalised), or refused. */
async function checked(deps: SubscriptionDeps, clientId: string, request: SubscriptionRequest): Promise<SubscriptionRequest> {
  if (request.callbackUrl === null) return request;
  return { ...request, callbackUrl: await checkCallbackUrl(deps.callbackUrls, clientId, request.callbackUrl) };
}

/** A TPP subscribes to notifications; it may hold one subscription. */
export async function subscribe(deps: SubscriptionDeps, clientId: string, request: SubscriptionRequest, now: Date): Promise<EventSubscription> {
  const accepted = await checked(deps, clientId, request);
  const subscription: EventSubscription = { id: randomUUID(), clientId, ...accepted, createdAt: now, updatedAt: now };
  if (!(await deps.repository.insertSubscription(subscription))) throw new AppError(EventsErrors.ALREADY_SUBSCRIBED);
  return subscription;
}

/** A TPP changes its own subscription. */
export async function changeSubscription(deps: SubscriptionDeps, clientId: string, id: string, request: SubscriptionRequest, now: Date): Promise<EventSubscription> {
  const accepted = await checked(deps, clientId, request);
  const changed = await deps.repository.updateSubscription(clientId, id, accepted, now);
  if (!changed) throw new AppError(EventsErrors.SUBSCRIPTION_NOT_FOUND);
  return changed;
}

/** A TPP deletes its own subscription: no notification is raised for it after this. */
export async function unsubscribe(deps: Pick<SubscriptionDeps, 'repository'>, clientId: string, id: string): Promise<void> {
  if (!(await deps.repository.deleteSubscription(clientId, id))) throw new AppError(EventsErrors.SUBSCRIPTION_NOT_FOUND);
}
