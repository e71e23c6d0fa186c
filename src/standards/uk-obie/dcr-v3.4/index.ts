export { dcrRoutes } from './register.routes.ts';
export type { DcrRoutesOptions } from './register.routes.ts';
export { isDcrRequest, renderDcrError } from './dcr-error-body.ts';
