import { defineErrors, exposed } from '../../platform/errors/index.ts';

/** Errors of event subscriptions and notifications. Fields are named by the facade's wire paths where it checks them. */
export const EventsErrors = defineErrors('EVENTS', {
  // A TPP holds one subscription; it changes or deletes that one.
  ALREADY_SUBSCRIBED: exposed(409, 'rules.resource-exists', 'The TPP already has an event subscription: change or delete it instead'),
  SUBSCRIPTION_NOT_FOUND: exposed(400, 'resource.not-found', 'No event subscription of this TPP has that id'),
  SUBSCRIPTION_ID_MISMATCH: exposed(400, 'field.invalid', 'The subscription in the body is not the one the path names'),
  CALLBACK_URL_REFUSED: exposed(400, 'field.invalid', 'The callback URL is not one notifications may be sent to'),
  POLL_INVALID: exposed(400, 'field.invalid', 'The poll is not valid'),
  // The standard's facade knows which notification versions and event types it raises.
  VERSION_UNSUPPORTED: exposed(400, 'field.invalid', 'The event notification version is not one the bank serves'),
  EVENT_TYPE_UNSUPPORTED: exposed(400, 'unsupported.event-type', 'The event type is not one the bank raises'),
});
