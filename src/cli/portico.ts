import { auditExportCommand, auditSearchCommand, auditVerifyCommand } from './audit-commands.ts';
import { operatorsAddCommand } from './operators-commands.ts';
import { auditOperatorCommand, isOperatorAction } from './operator-audit.ts';
import { ConfigError } from '../platform/config/index.ts';
import { isAppError } from '../platform/errors/index.ts';
import { CliError } from './cli-errors.ts';
import { startCommand } from './start-command.ts';
import { dbMigrateCommand } from './db-migrate-command.ts';
import { sandboxPsusCommand, sandboxSeedCommand } from './sandbox-commands.ts';
import { sandboxTppCreateCommand } from './sandbox-tpp-command.ts';
import { keysRotateCommand } from './keys-rotate-command.ts';
import { conformanceCommand } from './conformance-command.ts';
import { directoryOrganisationStatusCommand, directoryRevokeCertificateCommand } from './directory-commands.ts';
import { registersImportCommand, registersStatusCommand, registersSyncCommand } from './registers-commands.ts';
import { trustListsRefreshCommand, trustListsStatusCommand } from './trust-lists-commands.ts';
import { eventsDlqListCommand, eventsDlqReplayCommand } from './events-commands.ts';
import { accountsStatusCommand } from './accounts-commands.ts';
import { reportMiCommand, reportPlannedDowntimeCommand, reportRts32Command } from './report-commands.ts';
import { coreServeCommand } from './core-serve-command.ts';
import { RETIRED_KEY_GRACE_SECONDS } from '../auth/token-lifetimes.ts';
import { DEFAULT_ACTIVATION_DELAY_SECONDS } from '../auth/signing-keys.ts';

const USAGE = `Usage: portico <command>

Commands:
  start                         Run the platform (HTTPS API, authorisation server, PSU pages)
  db migrate                    Apply pending database migrations
  keys rotate [options]         New signing keys (PS256, ES256), published now, signing later
      --activate-in-seconds N   sign from N seconds on (default ${DEFAULT_ACTIVATION_DELAY_SECONDS})
      --keep-retired-seconds N  keep publishing the old keys for N seconds more (default ${RETIRED_KEY_GRACE_SECONDS})
  keys rotate-data-key          New data key for personal data at rest; re-encrypts under it
  keys reencrypt                Encrypt under the active data key what is not yet
  sandbox seed [options]        Generate the sandbox bank's customers, accounts and history
      --customers N             number of customers (default 8, at least 5)
      --months M                months of history (default 12)
      --seed S                  random seed; the same seed gives the same bank (default 1)
      --as-of YYYY-MM-DD        last day of the history (default today)
      --reset                   replace an existing sandbox bank
  sandbox psus                  Print the sandbox PSU logins as JSON
  sandbox tpp create [options]  Onboard a sandbox TPP: organisation, SSA, certificates
      --name NAME               organisation name
      --roles AISP,PISP,CBPII   PSD2 roles
      --redirect-uri URL        redirect URI (repeat for several)
      --out DIR                 folder for the credentials
  conformance [options]         Run the OBIE conformance manifests (OB v4.0) against a bank as a TPP
      --base-url URL            the bank (default PUBLIC_URL)
      --ca FILE                 CA of its server certificate (default the data dir's sandbox CA)
      --profile P               fapi1, fapi2 or both (default both)
      --api LIST                accounts,payments,cbpii,vrp (default all)
      --out DIR                 JUnit XML and HTML report folder (default conformance-report)
      --chromium PATH           Chromium for the PSU steps (default /usr/bin/chromium)
      --set NAME=VALUE          a value for a manifest placeholder (repeatable)
      --customer-ip IP|none     the PSU's address on account reads (default 127.0.0.1; none: the
                                reads are unattended, under the bank's daily limit)
  directory revoke-certificate [options]
                                Revoke a TPP certificate: refused from the next request, listed in the CRL
      --pem FILE                the certificate (the first one in the file)
      --reason REASON           unspecified (default), keyCompromise, affiliationChanged, superseded,
                                cessationOfOperation or privilegeWithdrawn
  directory organisation-status ORG_ID Active|Suspended|Revoked
                                Suspend, revoke or reinstate a TPP organisation
  tpp explain ID [options]      Why a TPP is trusted or refused now (ID: client id, org id, or an
                                organizationIdentifier such as PSDGB-FCA-123456): its clients, each
                                check of its certificates (chain, revocation, QCStatement, directory,
                                registers) and the verdict
      --pem FILE                a certificate to explain (repeatable); sandbox mode adds the ones
                                the sandbox QTSP issued to the organisation
      --usage transport|signing how the --pem certificates are used (default transport)
      --json                    as JSON
  registers sync [options]      Fetch the competent authorities' registers (REGISTERS) and apply the
                                changes; prints who was withdrawn, added and changed
      --register eba|fca|cir|dnb
                                only this register
      --frn N,…                 FCA firms to start holding (by Firm Reference Number)
  registers import FILE         A register from a file: the EBA PSD2 register (the ZIP the EBA
                                publishes, or its JSON)
      --register cir            the EBA Credit Institutions Register instead (the JSON its search
                                answers)
      --register dnb            DNB's public register instead (the publications its API answers:
                                one, or an array of pages)
  registers status              The latest synchronisations
  trust-lists refresh [options] Import the eIDAS trusted lists: the configured CA set, the EU List of
                                Trusted Lists (verified with TRUSTED_LISTS_LOTL_SIGNERS_FILE) and the
                                national lists it points at; prints each territory's outcome
      --lotl FILE --dir DIR     offline: the LOTL from FILE, the national lists from DIR
  trust-lists status            The trusted lists held
  accounts status ACCOUNT_ID Enabled|Disabled|Deleted
                                Re-open, block or close an account of the built-in ledger; TPPs with
                                consents on it are told (linked-account update)
  core serve [options]          The reference core gateway: the built-in ledger over the core gateway
                                contract (docs/core-gateway.md), for CORE=remote
      --host H, --port P        where it listens (default 127.0.0.1:9443)
      --database-url URL        its own PostgreSQL database (default CORE_GATEWAY_DATABASE_URL,
                                else embedded in DATA_DIR/core-gateway)
      --tls-cert F --tls-key F  its server certificate (default: from DATA_DIR/core-gateway's sandbox CA)
      --client-ca FILE          CA callers' certificates must chain to (default that sandbox CA)
      --seed-sandbox            generate the sandbox bank on first start (--customers, --months, --seed)
  events dlq list [options]     Notifications whose pushes to their TPP were given up, oldest first
      --client ID               of one TPP (its client id)
      --limit N                 at most N (default 100)
      --json                    as JSON
  events dlq replay ID… | --all Push those notifications again, each for another retry window
  operators add USERNAME --role viewer|operator|admin
                                A login for the operations console (/ops): prints its generated
                                password and TOTP secret once
  audit verify [options]        Prove the audit trail: each day's hash chain and the bank's signed
                                checkpoints; prints the first break (exit 1 when broken)
      --from, --to YYYY-MM-DD   the UTC days to verify (default all)
      --json                    as JSON
  audit search [filters]        The newest audit records matching, one per line
      --client ID, --organisation ID, --consent ID, --psu ID, --interaction ID
      --kind K                  api-call, consent, payment, psu-authorisation, tpp-registration,
                                trust or operator
      --from T, --to T          times with their offset (2026-12-06T10:00:00Z) or UTC days
                                (from inclusive, to exclusive)
      --limit N                 at most N (default 50, up to 1000)
      --json                    as JSON
  audit export [filters]        Every audit record matching, oldest first, as JSON lines
      --out FILE                to FILE (default standard output)
  report mi --date YYYY-MM-DD   The OB MI "Performance and Availability" and "Overall Performance"
                                hourly reports of a UTC day, JSON, validated against the official file
      --aspsp-brand-id N        the bank's OB brand id (default 1)
      --endpoint-ids FILE       OB's endpoint ids, JSON {"GET /open-banking/v4.0/aisp/accounts": 1, …}
      --tpp-brands FILE         OB's TPP brands, JSON {"CLIENT_ID": {"id": 1, "name": "…"}, …}
      --psu-segment S           Retail (default) or Business
  report rts32 --quarter YYYY-Qn [--format json|csv]
                                PSD2 RTS Art. 32(4) statistics of the dedicated interface: availability
                                and performance per day, the quarter and the quarter before
  report planned-downtime --from ISO --to ISO --reason TEXT
                                Announce planned downtime (counted planned, not unplanned)

With the embedded database (no DATABASE_URL), a command finding a running server on its data dir
works through that server's API (sandbox psus, sandbox tpp create, directory …, accounts status, events dlq …, audit …) or stops.

Configuration comes from environment variables; see docs/configuration.md.
`;

async function run(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  if (command === 'start') return startCommand();
  if (command === 'db' && sub === 'migrate') return dbMigrateCommand();
  if (command === 'keys' && sub === 'rotate') return keysRotateCommand(rest);
  if (command === 'keys' && (sub === 'rotate-data-key' || sub === 'reencrypt')) {
    // Loaded only here: it needs every module that declares encrypted columns.
    const { keysDataCommand } = await import('./keys-data-command.ts');
    return keysDataCommand(sub, rest);
  }
  if (command === 'sandbox' && sub === 'seed') return sandboxSeedCommand(rest);
  if (command === 'sandbox' && sub === 'psus') return sandboxPsusCommand();
  if (command === 'sandbox' && sub === 'tpp' && rest[0] === 'create') return sandboxTppCreateCommand(rest.slice(1));
  if (command === 'conformance') return conformanceCommand(argv.slice(1));
  if (command === 'directory' && sub === 'revoke-certificate') return directoryRevokeCertificateCommand(rest);
  if (command === 'directory' && sub === 'organisation-status') return directoryOrganisationStatusCommand(rest);
  if (command === 'tpp' && sub === 'explain') {
    // Loaded only here: it reads the authorisation server's clients, whose module loads oidc-provider.
    const { tppExplainCommand } = await import('./tpp-explain-command.ts');
    return tppExplainCommand(rest);
  }
  if (command === 'trust-lists' && sub === 'refresh') return trustListsRefreshCommand(rest);
  if (command === 'trust-lists' && sub === 'status') return trustListsStatusCommand();
  if (command === 'registers' && sub === 'sync') return registersSyncCommand(rest);
  if (command === 'registers' && sub === 'import') return registersImportCommand(rest);
  if (command === 'registers' && sub === 'status') return registersStatusCommand();
  if (command === 'accounts' && sub === 'status') return accountsStatusCommand(rest);
  if (command === 'core' && sub === 'serve') return coreServeCommand(rest);
  if (command === 'events' && sub === 'dlq' && rest[0] === 'list') return eventsDlqListCommand(rest.slice(1));
  if (command === 'events' && sub === 'dlq' && rest[0] === 'replay') return eventsDlqReplayCommand(rest.slice(1));
  if (command === 'operators' && sub === 'add') return operatorsAddCommand(rest);
  if (command === 'audit' && sub === 'verify') return auditVerifyCommand(rest);
  if (command === 'audit' && sub === 'search') return auditSearchCommand(rest);
  if (command === 'audit' && sub === 'export') return auditExportCommand(rest);
  if (command === 'report' && sub === 'mi') return reportMiCommand(rest);
  if (command === 'report' && sub === 'rts32') return reportRts32Command(rest);
  if (command === 'report' && sub === 'planned-downtime') return reportPlannedDowntimeCommand(rest);
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  throw new CliError(`unknown command "${argv.join(' ')}"; run "portico help"`, 2);
}

const argv = process.argv.slice(2);
try {
  await run(argv);
  if (isOperatorAction(argv)) await auditOperatorCommand(argv, 'success');
} catch (error) {
  const parseArgsError = String((error as NodeJS.ErrnoException)?.code ?? '').startsWith('ERR_PARSE_ARGS');
  // A command refused for its usage did nothing; one that failed on its way is recorded as such.
  const usageError = parseArgsError || (error instanceof CliError && error.exitCode === 2);
  if (isOperatorAction(argv) && !usageError) await auditOperatorCommand(argv, 'failure', error);
  if (error instanceof ConfigError || error instanceof CliError || isAppError(error) || parseArgsError) {
    process.stderr.write(`portico: ${(error as Error).message}\n`);
    process.exit(error instanceof CliError ? error.exitCode : parseArgsError ? 2 : 1);
  }
  process.stderr.write(`portico: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
}
