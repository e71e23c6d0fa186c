export { packageRoot } from './package-root.ts';
