import { z } from 'zod';
import { defineEvent } from '../../platform/events/index.ts';
import type { DirectoryRepository } from './directory.repository.port.ts';

/** When a TPP is told its certificate expires: 30, 7 and 1 days before. */
export const EXPIRY_WARNING_DAYS = [30, 7, 1] as const;

/**
 * A certificate the sandbox QTSP issued expires within `daysLeft` days (30, 7 or 1), unrevoked:
 * the TPP should renew it (a CSR to the directory's certificate lifecycle API). Each certificate
 * (`tpp-certificate`, its serial number) warns once per threshold.
 */
export const CertificateExpiringV1 = defineEvent({
  type: 'CertificateExpiring',
  version: 1,
  aggregateType: 'tpp-certificate',
  payload: z.object({
    serialNumber: z.string(),
    organisationId: z.string(),
    softwareId: z.string().nullable(),
    usage: z.enum(['transport', 'signing']),
    notAfter: z.string(),
    daysLeft: z.number().int(),
  }),
});

export interface ExpiryWarning {
  readonly serialNumber: string;
  readonly organisationId: string;
  readonly daysLeft: number;
}

/**
 * Warns of every unrevoked certificate entering one of the thresholds since its last warning,
 * each warning recorded with its event in one transaction, the smallest threshold first so a
 * certificate found with a day left is not also told it has a week.
 */
export async function warnOfExpiringCertificates(records: DirectoryRepository, now: Date = new Date()): Promise<ExpiryWarning[]> {
  const warnings: ExpiryWarning[] = [];
  for (const days of [...EXPIRY_WARNING_DAYS].sort((a, b) => a - b)) warnings.push(...(await records.warnOfExpiry(days, now)));
  return warnings;
}
