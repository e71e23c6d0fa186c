export { createSigningBasketsModule } from './create-signing-baskets-module.ts';
export type { SigningBasketsApi, SigningBasketsModuleDeps } from './create-signing-baskets-module.ts';
export type { NewSigningBasket } from './create-signing-basket.ts';
export type { SigningBasket, SigningBasketStatus } from './signing-basket.ts';
export { SigningBasketErrors } from './signing-baskets.errors.ts';
export type { SigningBasketsTables } from './infra/signing-baskets.tables.ts';
export { SigningBasketStatusChangedV1 } from './signing-basket-events.ts';
