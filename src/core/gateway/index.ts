export { coreGatewayRoutes, CORE_GATEWAY_PREFIX, sendProblem, type CoreGatewayRoutesOptions } from './core-gateway-routes.ts';
export { ChangeFeed, changeFeedBus, CHANGE_RETENTION_DAYS, type ChangePage } from './change-feed.ts';
export * as coreGatewayWire from './core-gateway-wire.ts';
export { toWireJson } from './core-gateway-wire.ts';
export type { CoreChange, CoreGatewayProblemCode } from './core-gateway-wire.ts';
