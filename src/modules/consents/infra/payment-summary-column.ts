import type { PaymentSummaryColumn } from './consents.tables.ts';
import type { PaymentSummary } from '../consent-model.ts';

/** A payment summary as the `consents.payment` JSON column keeps it: minor units and dates as strings. */
export function toPaymentSummaryColumn(summary: PaymentSummary): PaymentSummaryColumn {
  const { controls, schedule, ...rest } = summary;
  return {
    ...rest,
    amountMinor: summary.amountMinor.toString(),
    ...(controls
      ? {
          controls: {
            validFrom: controls.validFrom?.toISOString() ?? null,
            validTo: controls.validTo?.toISOString() ?? null,
            periodicLimits: controls.periodicLimits.map((limit) => ({ ...limit, amountMinor: limit.amountMinor.toString() })),
          },
        }
      : {}),
    ...(schedule
      ? {
          schedule: {
            firstPaymentAt: schedule.firstPaymentAt.toISOString(),
            ...(schedule.frequency === undefined ? {} : { frequency: schedule.frequency }),
            ...(schedule.numberOfPayments === undefined ? {} : { numberOfPayments: schedule.numberOfPayments }),
            ...(schedule.finalPaymentAt === undefined ? {} : { finalPaymentAt: schedule.finalPaymentAt?.toISOString() ?? null }),
            ...(schedule.businessDayRule === undefined ? {} : { businessDayRule: schedule.businessDayRule }),
          },
        }
      : {}),
  };
}

/** The payment summary of a `consents.payment` column. */
export function fromPaymentSummaryColumn(column: PaymentSummaryColumn): PaymentSummary {
  const { controls, schedule, ...rest } = column;
  return {
    ...rest,
    amountMinor: BigInt(column.amountMinor),
    ...(controls
      ? {
          controls: {
            validFrom: controls.validFrom === null ? null : new Date(controls.validFrom),
            validTo: controls.validTo === null ? null : new Date(controls.validTo),
            periodicLimits: controls.periodicLimits.map((limit) => ({ ...limit, amountMinor: BigInt(limit.amountMinor) })),
          },
        }
      : {}),
    ...(schedule
      ? {
          schedule: {
            firstPaymentAt: new Date(schedule.firstPaymentAt),
            ...(schedule.frequency === undefined ? {} : { frequency: schedule.frequency }),
            ...(schedule.numberOfPayments === undefined ? {} : { numberOfPayments: schedule.numberOfPayments }),
            ...(schedule.finalPaymentAt === undefined ? {} : { finalPaymentAt: schedule.finalPaymentAt === null ? null : new Date(schedule.finalPaymentAt) }),
            ...(schedule.businessDayRule === undefined ? {} : { businessDayRule: schedule.businessDayRule }),
          },
        }
      : {}),
  };
}
