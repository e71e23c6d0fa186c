import type { Row } from '../../platform/db/index.ts';
import type { AccountPermission, Consent, ConsentKind, ConsentStatus } from './consent-model.ts';
import { fromPaymentSummaryColumn } from './payment-summary-column.ts';

/** Reads a row; an authorised consent past its expiry reads as Expired (OB AIS profile). */
export function toConsent(row: Row<'consents'>, now: Date = new Date()): Consent {
  const stored = row.status as ConsentStatus;
  const expired = stored === 'Authorised' && row.expires_at !== null && row.expires_at <= now;
  return {
    id: row.id,
    kind: row.kind as ConsentKind,
    clientId: row.client_id,
    status: expired ? 'Expired' : stored,
    createdAt: row.created_at,
    statusUpdatedAt: expired ? (row.expires_at as Date) : row.status_updated_at,
    permissions: row.permissions as AccountPermission[],
    expiresAt: row.expires_at,
    transactionFrom: row.transaction_from,
    transactionTo: row.transaction_to,
    psuId: row.psu_id,
    partyId: row.party_id,
    accountIds: row.account_ids,
    authorisedAt: row.authorised_at,
    revokedBy: row.revoked_by,
    payment: row.payment ? fromPaymentSummaryColumn(row.payment) : null,
    grantId: row.grant_id,
    scaBinding: row.sca_binding,
  };
}
