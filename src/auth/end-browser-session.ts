import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

interface Log {
  warn(details: object, message: string): void;
}

interface SessionState {
  destroyed?: boolean;
  readonly new?: boolean;
  readonly oldId?: string;
  readonly jti: string;
}

/**
 * Drops the authorisation server's browser session once an authorisation request is answered.
 * Each request is authenticated on its own (interaction-policy.ts), so a session has no use
 * after its request; keeping none also means a second PSU in the same browser never meets the
 * first one's session. Marking it destroyed stops oidc-provider saving it (and setting its
 * cookie) at the end of this request; a copy stored earlier is deleted.
 */
export function endBrowserSession(provider: Provider, ctx: KoaContextWithOIDC, log: Log): void {
  const session = ctx.oidc?.session as SessionState | undefined;
  if (!session) return;
  session.destroyed = true;
  if (session.new) return;
  for (const id of new Set([session.oldId, session.jti])) {
    if (id) provider.Session.adapter.destroy(id).catch((error: unknown) => log.warn({ err: error }, 'could not delete an ended browser session'));
  }
}
