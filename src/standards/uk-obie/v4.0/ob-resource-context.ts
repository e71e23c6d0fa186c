import type { ObWireStore } from './_wire/wire-store.ts';
import type { SecurityStep } from './security/security-context.ts';

/** What every OB v4.0 resource route family over a module needs besides the module itself. */
export interface ObResourceContext {
  readonly publicUrl: string;
  readonly now: () => Date;
  /** The OB request bodies the responses echo. */
  readonly wire: ObWireStore;
  /** The TPP for itself: its client-credentials token, with the API's scope. */
  readonly tppSecurity: SecurityStep[];
}
