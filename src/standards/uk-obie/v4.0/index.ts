export { renderObErrorV4 } from './ob-error-body.ts';
export { OB_V4_ERROR_CODES } from './ob-error-codes.ts';
export { ukObieV4Routes } from './uk-obie-v4.routes.ts';
export type { UkObieV4RoutesOptions } from './uk-obie-v4.routes.ts';
