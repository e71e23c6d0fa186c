import { partitionOf } from './audit-chain.ts';
import type { AuditRepository } from './audit.repository.port.ts';
import type { AuditVerificationStore } from './audit-verification-store.port.ts';

const DAY_MS = 86_400_000;

/**
 * Retention: deletes the records of every partition whose day ended more than `retentionDays`
 * ago. Each keeps its last checkpoint, so `verify` still proves what its chain ended on. The
 * finished verification runs asked for before the oldest day kept go too, with their days.
 */
export async function expireAuditPartitions(repository: AuditRepository, runs: Pick<AuditVerificationStore, 'forgetFinishedBefore'>, retentionDays: number, now: Date): Promise<string[]> {
  const oldestKept = partitionOf(new Date(now.getTime() - retentionDays * DAY_MS));
  const due = await repository.partitionsBefore(oldestKept);
  for (const partition of due) await repository.expire(partition, now);
  await runs.forgetFinishedBefore(new Date(`${oldestKept}T00:00:00.000Z`));
  return due;
}
