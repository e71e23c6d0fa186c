export { RemoteCoreBanking } from './remote-core-banking.ts';
export { CoreGatewayClient, CoreContractError, type CoreGatewayClientOptions } from './core-gateway-client.ts';
export { CoreChangeFollower, type FollowCoreChangesOptions } from './follow-core-changes.ts';
export { CoreUnavailableError } from './core-unavailable-error.ts';
