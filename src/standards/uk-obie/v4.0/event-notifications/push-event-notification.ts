import { randomUUID } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';
import type { DueNotification, NotificationSender, PushOutcome } from '../../../../modules/events/index.ts';
import { isPublicAddress, matchesOriginPattern } from '../../../../platform/https-client/index.ts';
import { obEventNotificationClaims, type SetSigner } from './security-event-token.ts';

export interface ObNotificationSenderOptions {
  readonly setSigner: SetSigner;
  /** `iss` of the SETs: the bank's issuer. */
  readonly issuer: string;
  readonly publicUrl: string;
  /** `x-fapi-financial-id`: the bank's organisation id. */
  readonly financialId: string;
  /** The bank's transport certificate and key, presented to the TPP (mutual TLS). */
  readonly transport: { readonly certPem: string; readonly keyPem: string };
  /** CAs the TPPs' server certificates may chain to besides Node's own. */
  readonly extraCaPems?: readonly string[] | undefined;
  /** The operator's allow-list: origins pushed to whatever they resolve to (`EVENTS_CALLBACK_ALLOWLIST`). */
  readonly allowlist: readonly string[];
  /** How long a TPP has to connect and answer. */
  readonly timeoutMs: number;
  /** Connections kept open to one TPP origin. */
  readonly connectionsPerOrigin: number;
}

/** A push refused before any connection: the callback host resolves to an address no push may reach. */
class AddressRefused extends Error {}

/**
 * Resolves a callback host and refuses it unless every address is public (not this host, a private
 * network or link-local): checked at each connection, so a name re-pointed after the subscription
 * was checked (DNS rebinding) reaches nothing it should not.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((address) => !isPublicAddress(address.address));
    if (refused || addresses.length === 0) return callback(new AddressRefused(`${hostname} resolves to ${refused?.address ?? 'nothing'}, which notifications are not sent to`), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** An answer the TPP may give again later (overloaded, timed out), or a transport failure, is retried; another refusal is final. */
function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * OB real-time event notification (Event Notification API, `event-notifications-openapi.json`):
 * `POST {CallbackUrl}/event-notifications` with the SET as `application/jwt`, signed with the
 * bank's key, over mutual TLS with the bank's transport certificate and keep-alive connections;
 * the TPP answers 202. Each attempt signs the SET anew (`iat`); its `jti` never changes.
 */
export function createObNotificationSender(options: ObNotificationSenderOptions): NotificationSender & { close(): Promise<void> } {
  // One TLS context for every connection: given as options, each new connection parsed the
  // bank's certificate and the whole root bundle again (milliseconds each).
  const secureContext = createSecureContext({
    cert: options.transport.certPem,
    key: options.transport.keyPem,
    ...(options.extraCaPems && options.extraCaPems.length > 0 ? { ca: [...rootCertificates, ...options.extraCaPems] } : {}),
  });
  const tls = { secureContext, timeout: options.timeoutMs };
  const agentOptions = { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs, keepAliveTimeout: 30_000, connections: options.connectionsPerOrigin };
  // Callback URLs the operator allow-listed may be anywhere; every other one only on public addresses.
  const guarded = new Agent({ ...agentOptions, connect: { ...tls, lookup: publicOnlyLookup } });
  const open = new Agent({ ...agentOptions, connect: tls });

  return {
    async send(notification: DueNotification): Promise<PushOutcome> {
      const url = new URL(`${notification.callbackUrl.replace(/\/+$/, '')}/event-notifications`);
      const trusted = matchesOriginPattern(url, options.allowlist);
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      if (!trusted && isIP(host) !== 0 && !isPublicAddress(host)) return { delivered: false, error: `${host} is not an address notifications are sent to`, retryable: false };
      const set = await options.setSigner.sign(obEventNotificationClaims(notification, { issuer: options.issuer, publicUrl: options.publicUrl, now: new Date() }));
      try {
        const response = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/jwt', 'x-fapi-financial-id': options.financialId, 'x-fapi-interaction-id': randomUUID() },
          body: set,
          dispatcher: trusted ? open : guarded,
        });
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) return { delivered: true };
        return { delivered: false, error: `the TPP answered ${response.statusCode}`, retryable: retryableStatus(response.statusCode) };
      } catch (error) {
        const refused = error instanceof AddressRefused || (error as { cause?: unknown }).cause instanceof AddressRefused;
        return { delivered: false, error: (error as Error).message || String(error), retryable: !refused };
      }
    },
    close: async () => {
      await Promise.all([guarded.close(), open.close()]);
    },
  };
}
