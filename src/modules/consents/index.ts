/**
 * Consents: what a PSU lets a TPP do — see account information within a scope, make a payment,
 * confirm funds — from staging through authorisation to its end. Neutral model; each standard's
 * facade maps its wire to it. One API object (`createConsentsModule`), its value types, events
 * and error catalogue.
 */
export { createConsentsModule } from './create-consents-module.ts';
export { CONSENT_ENCRYPTED_COLUMNS } from './infra/kysely-consents-repository.ts';
export type { ClientConsentRequest, ConsentsApi, ConsentsModuleDeps } from './create-consents-module.ts';
export type { Consent, ConsentKind, ConsentPurpose, ConsentStatus, ConsentStatusReason, PaymentControls, PaymentSchedule, PaymentSummary } from './consent-model.ts';
export type { NewConsent } from './create-consent.ts';
export type { Authorisation } from './change-consent-status.ts';
export type { ConsentCacheOptions } from './consent-cache.ts';
// Access scopes and payment instructions are values: these functions read and compare them, and touch no storage.
export { ACCOUNT_KINDS, DATA_CLUSTERS, NO_ACCESS, accountKindsOf, levelOf, validateAccessScope } from './access-scope.ts';
export type { AccessScope, AccountIdentifier, AccountKind, AccountSelection, DataCluster, DetailLevel, TransactionDirections, TransactionWindow } from './access-scope.ts';
export { accessScopeOf } from './access-scope-of.ts';
export { PaymentInstruction, matchesConsent } from './payment-instruction.ts';
export type { ConsentMatch, PaymentInstructionFields, StatedAmount, InstructedAccount } from './payment-instruction.ts';
export { scaBindingOf } from './sca-binding.ts';
export { ConsentCreatedV2, ConsentStatusChangedV2, ConsentStatusChangedV1, AccountAccessLinkedAccountsChangedV1 } from './consent-events.ts';
export { ConsentErrors } from './consents.errors.ts';
export { retireCachedConsents } from './retire-cached-consents.ts';
export type { ConsentsTables } from './infra/consents.tables.ts';
