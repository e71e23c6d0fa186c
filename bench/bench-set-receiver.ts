/**
 * The TPP's event-notification endpoint under bench:events (b), in its own process as a TPP's
 * server would be: mutual TLS requiring the bank's certificate, 202 for each SET. It counts and
 * timestamps receipts without verifying signatures (the tests verify them; here the bank's side
 * is measured). IPC: the parent sends `{ type: 'start', bankCaPem }`, then `{ type: 'received' }`
 * for the receipts since the last ask as `[jti, receivedAtMs]` pairs.
 */
import { SetReceiver } from '../test/support/set-receiver.ts';

const receiver = await SetReceiver.create({ verify: false });
let reported = 0;
process.on('message', (message: { type: string; bankCaPem?: string }) => {
  void (async () => {
    if (message.type === 'start') {
      await receiver.start({ bankCaPem: message.bankCaPem!, bankJwks: { keys: [] }, audience: '' });
      process.send?.({ type: 'started', callbackUrl: receiver.callbackUrl });
    } else if (message.type === 'received') {
      const fresh = receiver.received.slice(reported).map((set) => [set.jti, set.receivedAt] as const);
      reported += fresh.length;
      process.send?.({ type: 'received', receipts: fresh });
    } else if (message.type === 'stop') {
      await receiver.stop();
      process.exit(0);
    }
  })();
});
process.send?.({ type: 'ready', caFile: receiver.caFile });
