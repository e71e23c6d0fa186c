import type { Bus } from './bus.port.ts';
import { MemoryBus } from './memory-bus.ts';
import { NatsBus, type NatsBusOptions } from './nats-bus.ts';

export async function createBus(natsUrl: string | undefined, options: NatsBusOptions = {}): Promise<Bus> {
  return natsUrl ? NatsBus.connect(natsUrl, options) : new MemoryBus();
}
