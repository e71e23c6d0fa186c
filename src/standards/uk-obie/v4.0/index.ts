export { renderObErrorV4 } from './ob-error-body.ts';
export { OB_V4_ERROR_CODES } from './ob-error-codes.ts';
