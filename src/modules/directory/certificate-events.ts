import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../../platform/events/index.ts';

/**
 * A certificate the sandbox QTSP issued expires within `daysLeft` days (30, 7 or 1), unrevoked:
 * the TPP should renew it (a CSR to the directory's certificate lifecycle API). Each certificate
 * (`tpp-certificate`, its serial number) warns once per threshold. No longer emitted (v2 says
 * which key and how many days exactly); read for events recorded before.
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

/**
 * A certificate the sandbox QTSP issued, unrevoked, expires within `withinDays` days (30, 7 or 1):
 * `daysRemaining` whole days from the warning (rounded up), its key's `kid` in the software's JWKS
 * for a signing certificate. Each certificate (`tpp-certificate`, its serial number) warns once per
 * threshold; the events module tells the TPPs registered for its software (docs/events.md).
 */
export const CertificateExpiringV2 = defineEvent({
  type: 'CertificateExpiring',
  version: 2,
  aggregateType: 'tpp-certificate',
  payload: z.object({
    serialNumber: z.string(),
    organisationId: z.string(),
    softwareId: z.string().nullable(),
    usage: z.enum(['transport', 'signing']),
    kid: z.string().nullable(),
    notAfter: z.string(),
    withinDays: z.number().int(),
    daysRemaining: z.number().int(),
  }),
});

export type CertificateExpiringPayload = PayloadOf<typeof CertificateExpiringV2>;
