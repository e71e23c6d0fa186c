/** The purpose of the data keys that encrypt personal data at rest (data_encryption_keys.purpose). */
export const PERSONAL_DATA_KEYS = 'personal-data';

/**
 * The purpose of the data key payee fingerprints are made with (docs/risk.md): made on first start
 * like the others and never rotated, since a new key would make every payee look new.
 */
export const PAYEE_FINGERPRINT_KEYS = 'payee-fingerprint';
