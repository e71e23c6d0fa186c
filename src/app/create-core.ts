import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { CoreBanking } from '../core/index.ts';
import { LedgerCoreBanking } from '../core/adapters/ledger/index.ts';
import { CoreChangeFollower, CoreGatewayClient, RemoteCoreBanking } from '../core/adapters/remote/index.ts';
import type { Config } from '../platform/config/index.ts';
import type { Db } from '../platform/db/index.ts';
import type { coreGatewayMetrics } from './runtime-metrics.ts';

export interface CoreAdapter {
  readonly core: CoreBanking;
  /** The built-in ledger, when it is the core (the operator's account status changes go to it). */
  readonly ledger: LedgerCoreBanking | undefined;
  /** Follows a remote core's change feed; workers start it. */
  readonly follower: CoreChangeFollower | undefined;
  close(): Promise<void>;
}

/**
 * The core-banking adapter `CORE` names: the built-in ledger in Portico's database, or the bank's
 * own core through its gateway (docs/core-gateway.md) over mutual TLS, whose change feed workers follow.
 */
export async function createCore(config: Config, db: Db, logger: Logger, metrics?: ReturnType<typeof coreGatewayMetrics>): Promise<CoreAdapter> {
  if (config.core.kind === 'builtin') {
    const ledger = new LedgerCoreBanking(db);
    return { core: ledger, ledger, follower: undefined, close: async () => {} };
  }
  const remote = config.core;
  const log = logger.child({ component: 'core' });
  const caPems = remote.caFile ? [await readFile(remote.caFile, 'utf8')] : undefined;
  const certPem = remote.client && (await readFile(remote.client.certFile, 'utf8'));
  const keyPem = remote.client && (await readFile(remote.client.keyFile, 'utf8'));
  const connect = (purpose: string) =>
    new CoreGatewayClient({
      url: remote.url,
      caPems,
      certPem,
      keyPem,
      timeoutMs: remote.timeoutMs,
      retries: remote.retries,
      circuitFailures: remote.circuitFailures,
      circuitOpenMs: remote.circuitOpenMs,
      // Once per change, not per failing call: an outage is one warning, its end one line.
      onCircuitChange: (state) => {
        if (state === 'closed') return log.info({ purpose }, 'core gateway reachable again');
        metrics?.circuitOpened();
        log.warn({ purpose }, 'core gateway unreachable: failing calls fast until a probe succeeds');
      },
      onAttempt: metrics?.onAttempt,
    });
  // The change feed's long polls on connections and a circuit of their own: a poll held open for
  // seconds must neither take the connections calls need nor stand as the probe of their circuit.
  const gateway = connect('calls');
  const feed = connect('change feed');
  const follower = new CoreChangeFollower(db, feed, log, { waitSeconds: remote.feedWaitSeconds, timeoutMs: remote.timeoutMs });
  return {
    core: new RemoteCoreBanking(gateway),
    ledger: undefined,
    follower,
    async close() {
      await follower.stop();
      await Promise.all([gateway.close(), feed.close()]);
    },
  };
}
