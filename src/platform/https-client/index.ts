export { createHttpsFetch } from './https-fetch.ts';
export type { HttpsFetch, HttpsFetchOptions } from './https-fetch.ts';
export { isPublicAddress } from './public-address.ts';
export { isOriginPattern, matchesOriginPattern } from './origin-patterns.ts';
export { readLimited, ResponseTooLarge } from './read-limited.ts';
