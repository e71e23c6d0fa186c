import { partitionOf } from './audit-chain.ts';
import type { AuditRepository } from './audit.repository.port.ts';

const DAY_MS = 86_400_000;

/**
 * Retention: deletes the records of every partition whose day ended more than `retentionDays`
 * ago. Each keeps its last checkpoint, so `verify` still proves what its chain ended on.
 */
export async function expireAuditPartitions(repository: AuditRepository, retentionDays: number, now: Date): Promise<string[]> {
  const oldestKept = partitionOf(new Date(now.getTime() - retentionDays * DAY_MS));
  const due = await repository.partitionsBefore(oldestKept);
  for (const partition of due) await repository.expire(partition, now);
  return due;
}
