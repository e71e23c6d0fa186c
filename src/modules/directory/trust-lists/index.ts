export { verifyTrustedList, readListOfTrustedLists, readTrustedList, TrustedListRejected } from './trusted-list-xml.ts';
export { statusAt, QUALIFIED_STATUSES } from './trusted-list-model.ts';
export type { QualifiedUse, ServiceStatusPeriod, TrustedList, TrustedListPointer, TrustedService } from './trusted-list-model.ts';
export { importTrustedLists, importCaSet, fileTrustedListSource, httpTrustedListSource } from './import-trusted-lists.ts';
export type { TrustedListSource, TrustedListOutcome } from './import-trusted-lists.ts';
export { findQualifiedIssuer } from './qualified-issuer.ts';
export type { QualifiedIssuer } from './qualified-issuer.ts';
export type { TrustedListsRepository, HeldTrustedList } from './trusted-lists.repository.port.ts';
