import path from 'node:path';

/** A file of the repository served as it is. */
export interface PublishedFile {
  /** Path under the server's root. */
  readonly urlPath: string;
  /** Path under the repository root. */
  readonly repoPath: string;
  readonly title: string;
  readonly contentType: string;
  /** Only of use against the sandbox: neither listed nor served outside sandbox mode. */
  readonly sandboxOnly?: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';
// Plain text so that browsers show the Markdown rather than download it.
const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * The official UK OB v4.0 OpenAPI files of the APIs this platform serves (vendored verbatim in
 * specs/uk-obie/v4.0), at the same path as in the repository.
 */
export const OPENAPI_FILES: readonly PublishedFile[] = [
  ['account-info', 'Account and Transaction API (AIS)'],
  ['payment-initiation', 'Payment Initiation API (PIS)'],
  ['vrp', 'Variable Recurring Payments API (VRP)'],
  ['confirmation-funds', 'Confirmation of Funds API (CBPII)'],
  ['events', 'Event Notification API: subscriptions and aggregated polling'],
  ['event-notifications', 'Event Notification API: the TPP endpoint the bank pushes SETs to'],
].map(([name, title]) => {
  const repoPath = `specs/uk-obie/v4.0/${name}-openapi.json`;
  return { urlPath: `/${repoPath}`, repoPath, title: title!, contentType: JSON_TYPE };
});

/** The project's own documentation, as the repository has it. */
export const DOCS_FILES: readonly PublishedFile[] = [
  ['examples/README.md', 'Quickstart example (examples/quickstart.mjs)', true],
  ['docs/dynamic-client-registration.md', 'Dynamic client registration'],
  ['docs/ob-apis.md', 'The OB v4.0 APIs: security steps, signing, errors'],
  ['docs/authorization-server.md', 'The authorisation server (FAPI 1.0 Advanced, FAPI 2.0)'],
  ['docs/psu-authorisation.md', 'PSU authorisation pages'],
  ['docs/events.md', 'Domain events and event notifications to TPPs'],
  ['docs/configuration.md', 'Configuration'],
].map(([repoPath, title, sandboxOnly]) => ({ urlPath: `/${String(repoPath)}`, repoPath: String(repoPath), title: String(title), contentType: TEXT_TYPE, sandboxOnly: sandboxOnly === true }));

/** The files published in a mode. */
export function publishedFiles(files: readonly PublishedFile[], sandbox: boolean): PublishedFile[] {
  return files.filter((file) => sandbox || file.sandboxOnly !== true);
}

export function absolutePathOf(root: string, file: PublishedFile): string {
  return path.join(root, ...file.repoPath.split('/'));
}
