import type { Row } from '../../platform/db/index.ts';
import { NO_ACCESS } from './access-scope.ts';
import { fromAccessScopeColumn } from './access-scope-column.ts';
import type { Consent, ConsentKind, ConsentPurpose, ConsentStatus } from './consent-model.ts';
import { fromPaymentSummaryColumn } from './payment-summary-column.ts';

/** Reads a row; an authorised consent past its expiry reads as expired (OB AIS profile). */
export function toConsent(row: Row<'consents'>, now: Date = new Date()): Consent {
  const stored = row.status as ConsentStatus;
  const expired = stored === 'authorised' && row.expires_at !== null && row.expires_at <= now;
  return {
    id: row.id,
    kind: row.kind as ConsentKind,
    clientId: row.client_id,
    status: expired ? 'expired' : stored,
    createdAt: row.created_at,
    statusUpdatedAt: expired ? (row.expires_at as Date) : row.status_updated_at,
    purpose: purposeOf(row),
    expiresAt: row.expires_at,
    transactionFrom: row.transaction_from,
    transactionTo: row.transaction_to,
    request: row.request,
    psuId: row.psu_id,
    partyId: row.party_id,
    accountIds: row.account_ids,
    authorisedAt: row.authorised_at,
    revokedBy: row.revoked_by,
    payment: paymentOf(row),
    grantId: row.grant_id,
    scaBinding: row.sca_binding,
  };
}

const paymentOf = (row: Row<'consents'>) => (row.payment ? fromPaymentSummaryColumn(row.payment) : null);

function purposeOf(row: Row<'consents'>): ConsentPurpose {
  if (row.kind === 'account-access') {
    const window = { from: row.transaction_from, to: row.transaction_to };
    return { type: 'account-access', scope: row.access ? fromAccessScopeColumn(row.access, window) : { ...NO_ACCESS, window } };
  }
  if (row.kind === 'funds-confirmation') return { type: 'funds-confirmation' };
  return { type: 'payment', payment: paymentOf(row) };
}
