import { isIP } from 'node:net';
import { AppError } from '../../platform/errors/index.ts';
import { isPublicAddress, matchesOriginPattern } from '../../platform/https-client/index.ts';
import { EventsErrors } from './events.errors.ts';

/** Where a TPP may have its notifications pushed (DESIGN.md §3, docs/events.md). */
export interface CallbackUrlRules {
  /**
   * The operator's allow-list (`EVENTS_CALLBACK_ALLOWLIST`): origins such as `https://localhost:*`
   * or `https://*.tpp.example:8443`. A URL of one of them is accepted whatever its address, and only
   * such a URL may reach a loopback, private or link-local address.
   */
  readonly allowlist: readonly string[];
  /** The hosts the TPP registered (its redirect URIs'): a callback host must be one of them or under one. */
  registeredHostsOf(clientId: string): Promise<readonly string[]>;
}

function refused(why: string): AppError {
  return new AppError(EventsErrors.CALLBACK_URL_REFUSED, { message: `${EventsErrors.CALLBACK_URL_REFUSED.message}: ${why}` });
}

/** `host` is `registered` or a subdomain of it. */
function underHost(host: string, registered: string): boolean {
  const base = registered.toLowerCase();
  return host === base || host.endsWith(`.${base}`);
}

/**
 * Checks a callback URL a TPP asks notifications to be pushed to, and returns it as it will be
 * used: https only, no credentials or fragment; on the operator's allow-list, or else a host the
 * TPP registered (or under one) that is not an IP address of this host or a private network
 * (names are checked again against their addresses at every delivery, so DNS rebinding gains nothing).
 */
export async function checkCallbackUrl(rules: CallbackUrlRules, clientId: string, raw: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('it is not a URL');
  }
  if (url.protocol !== 'https:') throw refused('only https URLs are called');
  if (url.username !== '' || url.password !== '') throw refused('it must not carry credentials');
  if (url.hash !== '') throw refused('it must not have a fragment');
  if (matchesOriginPattern(url, rules.allowlist)) return url.toString();
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0 ? !isPublicAddress(host) : host === 'localhost' || host.endsWith('.localhost')) {
    throw refused('it names this host or a private network');
  }
  const registered = await rules.registeredHostsOf(clientId);
  if (!registered.some((base) => underHost(host, base))) throw refused(`its host must be one of the TPP's registered redirect hosts (${registered.join(', ') || 'none'}) or under one`);
  return url.toString();
}
