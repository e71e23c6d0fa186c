import type { EventsApi } from '../../../../modules/events/index.ts';
import type { SecurityStep } from '../security/security-context.ts';
import type { SetSigner } from './security-event-token.ts';

/** The OB v4.0 event APIs' base path (`servers: /open-banking/v4.0`). */
export const EVENTS_BASE = '/open-banking/v4.0';

/** What the event subscription and aggregated polling routes need. */
export interface EventsRouteContext {
  readonly events: EventsApi;
  readonly publicUrl: string;
  /** `iss` of the bank's SETs: its issuer (the authorisation server's). */
  readonly issuer: string;
  readonly setSigner: SetSigner;
  readonly now: () => Date;
  /** `TPPOAuth2Security: [accounts, payments, fundsconfirmations]`: the TPP for itself, with any of the scopes. */
  readonly tppSecurity: SecurityStep[];
  /** The detached JWS the event subscription requests carry (`x-jws-signature`, required on POST and PUT). */
  readonly signedRequest: SecurityStep[];
}

/** Links.Self of an event resource. */
export function eventsLink(context: Pick<EventsRouteContext, 'publicUrl'>, path: string): string {
  return new URL(`${EVENTS_BASE}${path}`, context.publicUrl).toString();
}
