#!/usr/bin/env node
// Fails when the neutral domain (src/modules, src/core) speaks UK Open Banking's wire language:
// OB JSON paths and body keys, OB codes (`UK.OBIE.*`, `U0xx`, OB error codes) and OB enums.
// Comments may cite the standards; identifiers and string literals may not. Occurrences not yet
// moved to a facade are listed, per file and rule, in scripts/neutral-domain-baseline.json: a file
// may have no more of them than listed, and the list must shrink as they go (a stale entry fails).
//   node scripts/check-neutral-domain.mjs            check (run by `npm run lint`)
//   node scripts/check-neutral-domain.mjs --update   rewrite the baseline to what is found now
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOTS = ['src/modules', 'src/core'];
const BASELINE = 'scripts/neutral-domain-baseline.json';

/**
 * Applied migrations that name OB's words: those that created the tables whose rows held them
 * before the neutral domain, and those that renamed the rows' words to neutral ones. They live with
 * the module or adapter that owns the tables (decision 0008h) and are history that is never edited,
 * so they are exempt by name. Any other migration is checked like every file.
 */
const APPLIED_MIGRATIONS_NAMING_OB = new Set([
  '0012-payments.ts',
  '0015-standing-orders.ts',
  '0027-neutral-ledger-schemes.ts',
  '0028-neutral-consent-statuses.ts',
  '0029-consent-access-scopes.ts',
  '0030-neutral-payment-statuses.ts',
  '0031-neutral-standing-order-statuses.ts',
]);
const isAppliedMigrationNamingOb = (file) => path.basename(path.dirname(file)) === 'migrations' && APPLIED_MIGRATIONS_NAMING_OB.has(path.basename(file));

/**
 * Other standards' wire formats that a module's adapter reads and that happen to use one of OB's
 * words: the FCA register API wraps every answer in `Data`, as OB does. Exempt by file and word.
 */
const OTHER_FORMATS_SHARING_OB_WORDS = { 'src/modules/directory/registers/fca-register-source.ts': new Set(['Data']) };
const isOtherFormatsWord = (file, value) => OTHER_FORMATS_SHARING_OB_WORDS[file]?.has(value) === true;

/** What the domain must not say, tested on each identifier and string (or template) literal. */
const RULES = {
  'ob-json-path': /(^|[^\w])Data\.[A-Z]|\.Initiation\b|\bInitiation\.[A-Z]/,
  'ob-body-key': /^(Data|Initiation|Risk|Instruction|ControlParameters|InstructedAmount|CreditorAccount|DebtorAccount|SchemeName|ConsentId|Permissions)$/,
  'ob-code': /UK\.OBIE\.|\bU0\d\d\b/,
  'ob-error-code': /^(Field|Header|Resource|Rules|Signature|Unsupported)\.[A-Z]\w+$/,
  'ob-enum': /^(Initiation(Pending|Completed|Failed)|Accepted\w*Settlement\w*|AcceptedWithoutPosting|AwaitingAuthorisation|AwaitingUpload|Read(AccountsBasic|AccountsDetail|Balances|Beneficiaries\w+|DirectDebits|Offers|PAN|Party|PartyPSU|Products|ScheduledPayments\w+|StandingOrders\w+|Statements\w+|Transactions\w+|RefundAccount))$/,
};

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every rule each identifier or literal of `file` breaks, with its line. */
function findingsOf(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const findings = [];
  const visit = (node) => {
    let value;
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) value = node.text;
    else if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) value = node.text;
    if (value !== undefined) {
      for (const [rule, pattern] of Object.entries(RULES)) {
        if (pattern.test(value)) findings.push({ rule, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, value });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

const counts = {};
const found = [];
for (const file of ROOTS.flatMap(sourceFiles).filter((file) => !isAppliedMigrationNamingOb(file)).sort()) {
  const name = file.split(path.sep).join('/');
  for (const finding of findingsOf(file)) {
    if (isOtherFormatsWord(name, finding.value)) continue;
    found.push({ file: name, ...finding });
    const key = `${name} ${finding.rule}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
}

if (process.argv.includes('--update')) {
  writeFileSync(BASELINE, `${JSON.stringify(counts, null, 2)}\n`);
  console.log(`${BASELINE}: ${found.length} known occurrences in ${Object.keys(counts).length} file/rule pairs`);
  process.exit(0);
}

const baseline = JSON.parse(readFileSync(BASELINE, 'utf8'));
const problems = [];
for (const [key, count] of Object.entries(counts)) {
  const allowed = baseline[key] ?? 0;
  if (count > allowed) {
    const [file, rule] = key.split(' ');
    const lines = found.filter((f) => f.file === file && f.rule === rule).map((f) => `    ${file}:${f.line} ${JSON.stringify(f.value)}`);
    problems.push(`${file}: ${count} ${rule} (at most ${allowed}):\n${lines.join('\n')}`);
  }
}
for (const [key, allowed] of Object.entries(baseline)) {
  const count = counts[key] ?? 0;
  if (count < allowed) problems.push(`${key}: ${count} found, ${allowed} listed in ${BASELINE}; lower the entry (or run with --update)`);
}
if (problems.length > 0) {
  console.error(`The neutral domain (${ROOTS.join(', ')}) names the UK Open Banking wire format; map it in the facade (src/standards/uk-obie):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`neutral domain: no new OB paths, codes or enums in ${ROOTS.join(', ')}`);
