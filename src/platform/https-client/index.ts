export { createHttpsFetch } from './https-fetch.ts';
export type { HttpsFetch, HttpsFetchOptions } from './https-fetch.ts';
