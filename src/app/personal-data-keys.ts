/** The purpose of the data keys that encrypt personal data at rest (data_encryption_keys.purpose). */
export const PERSONAL_DATA_KEYS = 'personal-data';
