export { createPortico } from './create-portico.ts';
export type { Portico, CreatePorticoOptions } from './create-portico.ts';
export { porticoMigrations } from './portico-migrations.ts';
