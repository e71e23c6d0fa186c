import type { TrustedList, TrustedService } from './trusted-list-model.ts';

/** A list as held: its identity, without its services. */
export type HeldTrustedList = Omit<TrustedList, 'services'> & { readonly serviceCount: number; readonly importedAt: Date };

/** What the trusted lists need from storage. */
export interface TrustedListsRepository {
  /** Replaces the territory's list and all its services, in one transaction. */
  replaceList(list: TrustedList, now: Date): Promise<void>;
  heldLists(): Promise<HeldTrustedList[]>;
  /** The services whose certificate has this subject (the issuer name of a certificate they issued). */
  servicesWithSubject(subject: string): Promise<TrustedService[]>;
}
