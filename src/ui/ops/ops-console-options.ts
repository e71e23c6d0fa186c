import type { AuditApi } from '../../modules/audit/index.ts';
import type { Consent } from '../../modules/consents/index.ts';
import type { InsightsApi } from '../../modules/insights/index.ts';
import type { OperatorsApi } from '../../modules/operators/index.ts';

/** Where console sessions live: the shared cache, so any instance serves the next request. */
export interface OpsSessionStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  del(...keys: string[]): Promise<void>;
}

/** A TPP as the console lists it: its directory organisation. */
export interface OpsTpp {
  readonly id: string;
  readonly legalName: string;
  readonly status: 'Active' | 'Suspended' | 'Revoked';
  readonly roles: readonly string[];
  readonly ncaName: string;
  readonly authorisationNumber: string;
  readonly organizationIdentifier: string;
}

export interface OpsCertificate {
  readonly serialNumber: string;
  readonly usage: string;
  readonly subject: string;
  readonly notAfter: Date;
  readonly revokedAt?: Date | undefined;
}

/** A registered OAuth client of the TPP (DCR). */
export interface OpsClient {
  readonly clientId: string;
  readonly clientName: string;
  readonly softwareId: string;
}

/** The TPPs of the bank's own directory, and the one action on them: their standing. */
export interface OpsTpps {
  list(): Promise<OpsTpp[]>;
  get(organisationId: string): Promise<OpsTpp | undefined>;
  certificates(organisationId: string): Promise<OpsCertificate[]>;
  clients(organisationId: string): Promise<OpsClient[]>;
  /** Applies to the TPP's next call on every instance (the directory's status change). */
  setStatus(organisationId: string, status: 'Active' | 'Suspended'): Promise<OpsTpp>;
}

/** The consents and payments the console finds (through the consents module). */
export interface OpsConsents {
  find(consentId: string): Promise<Consent | undefined>;
  /** Every consent of a PSU: current, payment and ended ones. */
  ofPsu(psuId: string): Promise<Consent[]>;
  /** The payment order made under a payment consent, if one was. */
  paymentOf(consent: Consent): Promise<OpsPayment | undefined>;
}

export interface OpsPayment {
  readonly id: string;
  readonly status: string;
  readonly createdAt: Date;
  readonly statusUpdatedAt: Date;
}

/** An anomaly alert, as the risk module raises them (issue 17). */
export interface OpsAlert {
  readonly id: string;
  readonly rule: string;
  readonly severity: 'low' | 'medium' | 'high' | 'critical';
  readonly subject: { readonly kind: 'tpp' | 'psu' | 'source'; readonly id: string };
  readonly evidence: Record<string, unknown>;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  readonly count: number;
  readonly status: 'open' | 'resolved';
  readonly response?: { readonly action: 'throttle' | 'suspend-client' | 'force-reauthentication'; readonly appliedAt: Date; readonly undoneAt?: Date; readonly undoneBy?: string };
}

/** The console's view of the risk module's alerts. */
export interface OpsAlerts {
  list(query: { readonly status?: 'open' | 'resolved' | undefined; readonly subjectId?: string | undefined; readonly limit?: number | undefined }): Promise<OpsAlert[]>;
  get(id: string): Promise<OpsAlert | undefined>;
  resolve(id: string, operator: string): Promise<OpsAlert>;
  undoResponse(id: string, operator: string): Promise<OpsAlert>;
}

/**
 * Single sign-on through the bank's OpenID provider (OPS_OIDC_*): the authorisation code flow
 * with PKCE and a nonce; the provider authenticates, the operators table authorises (role).
 */
export interface OpsSingleSignOn {
  /** Where to send the browser (the provider's authorisation endpoint with these values). */
  authorisationUrl(request: { readonly state: string; readonly nonce: string; readonly codeChallenge: string; readonly redirectUri: string }): Promise<string>;
  /** Exchanges the code, verifies the ID token (issuer, audience, signature, nonce), returns the username claim. */
  username(response: { readonly code: string; readonly codeVerifier: string; readonly nonce: string; readonly redirectUri: string }): Promise<string>;
}

export interface OpsConsoleOptions {
  readonly sessions: OpsSessionStore;
  readonly operators: OperatorsApi;
  readonly audit: Pick<AuditApi, 'record' | 'search' | 'requestVerification' | 'verification' | 'verifications'>;
  readonly insights: Pick<InsightsApi, 'day' | 'latency'>;
  readonly tpps: OpsTpps;
  readonly consents: OpsConsents;
  /** Absent until the risk module provides `portico.risk`: the alerts page says so. */
  readonly alerts?: OpsAlerts | undefined;
  /** The bank's OpenID provider, when configured; absent: password and one-time code only. */
  readonly singleSignOn?: OpsSingleSignOn | undefined;
  /** The public base URL (the single sign-on's redirect URI is under it). */
  readonly publicUrl: string;
  /** Sandbox mode: the login page points at `GET /sandbox/v1/operators`. */
  readonly sandbox: boolean;
}
