import { readFileSync } from 'node:fs';

/** The report schemas extracted from the official file (scripts/generate-mi-reporting.mjs). */
export interface MiSchemaDocument {
  readonly $id: string;
  readonly $defs: {
    readonly PerformanceAndAvailability: { readonly properties: { readonly reportTime: { readonly enum: readonly string[] } } };
    readonly OverallPerformance: { readonly properties: { readonly reportTime: { readonly enum: readonly string[] } } };
  };
}

let loaded: MiSchemaDocument | undefined;

export function miSchemas(): MiSchemaDocument {
  loaded ??= JSON.parse(readFileSync(new URL('./schemas/mi-data-high-frequency.json', import.meta.url), 'utf8')) as MiSchemaDocument;
  return loaded;
}
