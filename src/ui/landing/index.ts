export { landingRoutes } from './landing.routes.ts';
export type { LandingOptions } from './landing.routes.ts';
