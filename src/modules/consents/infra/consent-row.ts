import type { Selectable } from 'kysely';
import { NO_ACCESS } from '../access-scope.ts';
import type { Consent, ConsentKind, ConsentPurpose, ConsentStatus, PaymentSummary } from '../consent-model.ts';
import { fromAccessScopeColumn } from './access-scope-column.ts';
import type { ConsentsTable } from './consents.tables.ts';
import { fromPaymentSummaryColumn } from './payment-summary-column.ts';

export type ConsentRow = Selectable<ConsentsTable>;

/** A row as the consent it stores, in its stored status (`consentAsOf` reads an expiry that has passed). */
export function toStoredConsent(row: ConsentRow): Consent {
  const payment = row.payment ? fromPaymentSummaryColumn(row.payment) : null;
  return {
    id: row.id,
    kind: row.kind as ConsentKind,
    clientId: row.client_id,
    status: row.status as ConsentStatus,
    createdAt: row.created_at,
    statusUpdatedAt: row.status_updated_at,
    purpose: purposeOf(row, payment),
    expiresAt: row.expires_at,
    transactionFrom: row.transaction_from,
    transactionTo: row.transaction_to,
    psuId: row.psu_id,
    partyId: row.party_id,
    accountIds: row.account_ids,
    authorisedAt: row.authorised_at,
    revokedBy: row.revoked_by,
    payment,
    grantId: row.grant_id,
    scaBinding: row.sca_binding,
    statusReason: row.status_reason ?? null,
  };
}

function purposeOf(row: ConsentRow, payment: PaymentSummary | null): ConsentPurpose {
  if (row.kind === 'account-access') {
    const window = { from: row.transaction_from, to: row.transaction_to };
    return { type: 'account-access', scope: row.access ? fromAccessScopeColumn(row.access, window) : { ...NO_ACCESS, window } };
  }
  if (row.kind === 'funds-confirmation') return { type: 'funds-confirmation' };
  return { type: 'payment', payment };
}
