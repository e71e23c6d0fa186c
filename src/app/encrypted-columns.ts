import { ACCOUNT_READ_MODEL_ENCRYPTED_COLUMN } from '../modules/accounts/index.ts';
import { CONSENT_ENCRYPTED_COLUMNS } from '../modules/consents/index.ts';
import { ORDER_ENCRYPTED_COLUMNS, PAYMENT_FILE_ENCRYPTED_COLUMNS } from '../modules/payments/index.ts';
import type { EncryptedColumn } from '../platform/keystore/index.ts';
import { OB_WIRE_ENCRYPTED_COLUMN } from '../standards/uk-obie/v4.0/index.ts';
import { XS2A_WIRE_ENCRYPTED_COLUMN } from '../standards/berlin-group/v1.3/index.ts';

/**
 * Every column holding personal data encrypted at rest, as its owner declares it: what the
 * re-encryption pass (`portico keys reencrypt`) moves to the active data key.
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [OB_WIRE_ENCRYPTED_COLUMN, XS2A_WIRE_ENCRYPTED_COLUMN, ACCOUNT_READ_MODEL_ENCRYPTED_COLUMN, ...ORDER_ENCRYPTED_COLUMNS, ...PAYMENT_FILE_ENCRYPTED_COLUMNS, ...CONSENT_ENCRYPTED_COLUMNS];
