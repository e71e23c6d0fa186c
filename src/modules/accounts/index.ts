export { createAccountReadCache, createAccountsModule } from './create-accounts-module.ts';
export type { AccountReadCacheOptions, AccountsApi, AccountsModuleDeps } from './create-accounts-module.ts';
export type { AccountReadCache, Exposed, ExposedAccount, TransactionListing, TransactionRange } from './account-reads.ts';
export { keepReadModelCurrent } from './keep-read-model-current.ts';
export { ACCOUNT_READ_MODEL_ENCRYPTED_COLUMN } from './infra/kysely-account-read-model-repository.ts';
export type { KeepReadModelCurrentDeps } from './keep-read-model-current.ts';
export { accountKindOf, grantsAccess, detailLevel, identifies, permittedDirections } from './ais-permissions.ts';
export type { AisResource } from './ais-permissions.ts';
export type { PageLinks } from './transaction-pages.ts';
export { AccountErrors } from './accounts.errors.ts';
// When a request arrived, for reads that may take up shared-cache reads issued since.
export { freshnessNow } from '../../platform/cache/index.ts';
export type { Freshness } from '../../platform/cache/index.ts';
export type { AccountsTables } from './infra/accounts.tables.ts';
