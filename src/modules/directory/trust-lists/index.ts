export { verifyTrustedList, readListOfTrustedLists, readTrustedList, TrustedListRejected } from './trusted-list-xml.ts';
export { statusAt, QUALIFIED_STATUSES } from './trusted-list-model.ts';
export type { QualifiedUse, ServiceStatusPeriod, TrustedList, TrustedListPointer, TrustedService } from './trusted-list-model.ts';
