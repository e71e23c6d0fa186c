import { sql, type Transaction } from 'kysely';
import { internalAccountId, LedgerErrors, postEntry, type StatementDetails } from '../../core/index.ts';
import type { DatabaseSchema, PaymentStatus } from '../../platform/db/index.ts';
import { isAppError, type ErrorDefinition } from '../../platform/errors/index.ts';
import { PermanentJobError, scheduleJob, type TransactionalJobHandler } from '../../platform/scheduler/index.ts';
import { paymentSettlementJob } from './confirm-payment-settlement.ts';
import { recordPaymentStatusChanged } from './payment-events.ts';
import type { DomesticPayment, PaymentStatusReason } from './payment-model.ts';
import { toDomesticPayment } from './payment-row.ts';
import { recordPaymentOrderOnAccount } from './record-payment-order-on-account.ts';
import type { PaymentScheme } from './payment-scheme.port.ts';
import { SandboxPaymentScheme } from './sandbox-payment-scheme.ts';

/** The durable job that executes one submitted domestic payment (src/platform/scheduler). */
export const EXECUTE_DOMESTIC_PAYMENT_JOB = 'payments.execute-domestic-payment';

export interface DomesticPaymentExecutionPayload {
  readonly paymentId: string;
}

/** The ledger's own counterparty schemes are the OB names, as the sandbox books them (AIS shows them as-is). */
const STATEMENT_SCHEME: Record<string, string> = { SortCodeAccountNumber: 'UK.OBIE.SortCodeAccountNumber', IBAN: 'UK.OBIE.IBAN' };

/**
 * Ledger refusals that are the payment's fate, not a fault: ISO 20022 `ExternalStatusReason1Code`.
 * Anything else (the database, a missing clearing account) fails the attempt and is retried.
 */
const REJECTIONS = new Map<ErrorDefinition, PaymentStatusReason>([
  [LedgerErrors.INSUFFICIENT_FUNDS, { code: 'AM04', description: 'Insufficient funds in the debtor account' }],
  [LedgerErrors.ACCOUNT_NOT_ENABLED, { code: 'AC04', description: 'The debtor or creditor account is closed or blocked' }],
  [LedgerErrors.CURRENCY_MISMATCH, { code: 'AM03', description: "The creditor account does not hold the payment's currency" }],
]);
const SAME_ACCOUNT: PaymentStatusReason = { code: 'AC01', description: 'The creditor account is the debtor account' };

/** The scheme of callers that name none: the sandbox's, settling at once. */
const INSTANT_SCHEME = new SandboxPaymentScheme();

/**
 * The scheduler handler of EXECUTE_DOMESTIC_PAYMENT_JOB. Transactional: the ledger entry, the
 * payment's new status, its event, the settlement confirmation job of a payment sent to `scheme`
 * and the job's completion commit together or not at all, so a crash anywhere leaves the job to run
 * again and nothing half done.
 */
export function domesticPaymentExecution(scheme: PaymentScheme = INSTANT_SCHEME): TransactionalJobHandler<DomesticPaymentExecutionPayload> {
  return {
    transactional: true,
    async run(job, trx) {
      const executed = await executeDomesticPayment(trx, job.payload.paymentId, job.claimedAt, scheme);
      if (!executed) throw new PermanentJobError(`no domestic payment ${job.payload.paymentId}`);
    },
  };
}

/**
 * Executes a Pending payment exactly once, inside the caller's transaction: the payment row is
 * locked, so concurrent runs queue and the later ones find it no longer Pending and change nothing;
 * the journal entry carries the payment's id as its unique external reference, so the ledger itself
 * never posts it twice. The debtor is debited and the creditor credited — the bank's own account
 * when the creditor identification is one of its accounts (on us: AcceptedCreditSettlementCompleted),
 * else the clearing account of the currency, where the payment leaves for `scheme`
 * (AcceptedSettlementInProcess, ISO 20022 ACSP; its settlement confirmation job is scheduled in the
 * same transaction and makes it AcceptedSettlementCompleted, `confirmPaymentSettlement`).
 * Insufficient funds, a closed or blocked account or the wrong currency reject it (Rejected, with
 * the ISO reason), moving no money. Returns the payment as it now is, or undefined when there is
 * none. Without `scheme`, the sandbox's that settles at once.
 */
export async function executeDomesticPayment(
  trx: Transaction<DatabaseSchema>,
  paymentId: string,
  now: Date = new Date(),
  scheme: PaymentScheme = INSTANT_SCHEME,
): Promise<DomesticPayment | undefined> {
  const row = await trx.selectFrom('payments').selectAll().where('id', '=', paymentId).forUpdate().executeTakeFirst();
  if (!row) return undefined;
  const payment = toDomesticPayment(row);
  if (payment.status !== 'Pending') return payment;

  const onUs = payment.creditorAccountId !== null;
  const creditorAccountId = payment.creditorAccountId ?? internalAccountId('clearing', payment.amount.currency);
  if (creditorAccountId === payment.debtorAccountId) return settle(trx, payment, { status: 'Rejected', reason: SAME_ACCOUNT }, now);

  const { amountMinor, currency } = payment.amount;
  const debtorStatement: StatementDetails = {
    description: `Payment to ${payment.creditor.name}`.slice(0, 500),
    reference: payment.reference ?? undefined,
    bankTransactionCode: 'IssuedCreditTransfers',
    bankTransactionSubcode: 'DomesticCreditTransfer',
    counterpartyName: payment.creditor.name,
    counterpartyScheme: STATEMENT_SCHEME[payment.creditor.scheme] ?? payment.creditor.scheme,
    counterpartyIdentification: payment.creditor.identification,
  };
  const creditorStatement: StatementDetails | undefined = onUs
    ? {
        description: `Payment from ${payment.debtor?.name ?? 'a customer'}`.slice(0, 500),
        reference: payment.reference ?? undefined,
        bankTransactionCode: 'ReceivedCreditTransfers',
        bankTransactionSubcode: 'DomesticCreditTransfer',
        ...(payment.debtor
          ? {
              counterpartyName: payment.debtor.name ?? undefined,
              counterpartyScheme: STATEMENT_SCHEME[payment.debtor.scheme],
              counterpartyIdentification: payment.debtor.identification,
            }
          : {}),
      }
    : undefined;

  // A refusal by the ledger must leave no trace of the attempt (it may have written the entry's
  // header before checking funds): the savepoint takes it back, and the rejection is recorded in
  // the same transaction. Plain SQL, the same on PostgreSQL and PGlite.
  await sql`SAVEPOINT execute_domestic_payment`.execute(trx);
  let entryId: string;
  try {
    const posted = await postEntry(trx, {
      // The ledger entry is of the payment's kind (a single payment, or one VRP under its consent).
      kind: payment.kind,
      description: debtorStatement.description,
      externalRef: `payment:${payment.id}`,
      bookedAt: now,
      postings: [
        { accountId: payment.debtorAccountId, currency, amountMinor: -amountMinor, statement: debtorStatement },
        { accountId: creditorAccountId, currency, amountMinor, statement: creditorStatement },
      ],
    });
    entryId = posted.entryId;
  } catch (error) {
    const reason = isAppError(error) ? REJECTIONS.get(error.definition) : undefined;
    if (!reason) throw error;
    await sql`ROLLBACK TO SAVEPOINT execute_domestic_payment`.execute(trx);
    return settle(trx, payment, { status: 'Rejected', reason }, now);
  }
  await sql`RELEASE SAVEPOINT execute_domestic_payment`.execute(trx);
  if (onUs) return settle(trx, payment, { status: 'AcceptedCreditSettlementCompleted', entryId }, now);
  const sent = await settle(trx, payment, { status: 'AcceptedSettlementInProcess', entryId }, now);
  await scheduleJob(trx, paymentSettlementJob(sent.id, scheme.settlementCheckAt(sent, now)), now);
  return sent;
}

async function settle(
  trx: Transaction<DatabaseSchema>,
  payment: DomesticPayment,
  outcome: { status: PaymentStatus; reason?: PaymentStatusReason; entryId?: string },
  now: Date,
): Promise<DomesticPayment> {
  const row = await trx
    .updateTable('payments')
    .set({
      status: outcome.status,
      status_reason_code: outcome.reason?.code ?? null,
      status_reason: outcome.reason?.description ?? null,
      status_updated_at: now,
      entry_id: outcome.entryId ?? null,
      executed_at: outcome.entryId ? now : null,
    })
    .where('id', '=', payment.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordPaymentStatusChanged(trx, payment, { status: outcome.status, statusReasonCode: outcome.reason?.code }, now);
  // A scheduled payment leaves the payer's list of future payments once it ran, or never will (AIS).
  if (payment.kind === 'domestic-scheduled-payment' || payment.kind === 'international-scheduled-payment') {
    await recordPaymentOrderOnAccount(trx, { type: 'scheduled-payment-done', id: payment.id, debtorAccountId: payment.debtorAccountId, executed: outcome.status !== 'Rejected' });
  }
  return toDomesticPayment(row);
}
