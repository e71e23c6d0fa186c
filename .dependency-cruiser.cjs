/**
 * DESIGN.md §2.4: dependencies point inward — standards → modules → core/platform — and a module is
 * reached only through its index.ts.
 */
/** Every owner's migrations folder, its entry, and the column groups every owner may share. */
const MIGRATIONS = '^src/.+/migrations/';
const MIGRATIONS_INDEX = '^src/.+/migrations/index\\.ts$';
const SHARED_COLUMNS = '^src/platform/db/migrations/shared-columns\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'platform-is-innermost',
      comment: 'platform adapters know nothing of the domain or the standards',
      severity: 'error',
      from: { path: '^src/platform/', pathNot: '^src/platform/db/schema\\.ts$' },
      to: { path: '^src/(core|modules|standards|auth|ui|app|cli)/' },
    },
    {
      name: 'schema-reexports-module-tables-only',
      comment: 'platform/db/schema.ts assembles the table types: it may import a module\'s (the authorisation server\'s, a core adapter\'s, or a facade\'s wire store\'s) *.tables.ts and nothing else above it',
      severity: 'error',
      from: { path: '^src/platform/db/schema\\.ts$' },
      to: { path: '^src/(?!platform/|modules/[^/]+/infra/[^/]+\\.tables\\.ts$|auth/infra/[^/]+\\.tables\\.ts$|core/adapters/[^/]+/[^/]+\\.tables\\.ts$|standards/[^/]+/[^/]+/_wire/infra/[^/]+\\.tables\\.ts$)' },
    },
    {
      name: 'core-depends-on-platform-only',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(modules|standards|auth|ui|app|cli)/' },
    },
    {
      name: 'core-adapters-only-from-the-composition-root',
      comment:
        'modules, standards, pages and the auth server speak to the bank through src/core/ports (core/index.ts); only src/app picks and wires an adapter. The sandbox module is the one exception: it generates the built-in ledger\'s sandbox bank, in the ledger\'s own tables.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app/', '^src/core/adapters/', '^src/modules/sandbox/', '^src/platform/db/schema\\.ts$'] },
      to: { path: '^src/core/adapters/' },
    },
    {
      name: 'core-ports-are-types',
      comment: 'the ports know no adapter',
      severity: 'error',
      from: { path: '^src/core/ports/' },
      to: { path: '^src/core/(adapters|fx)/' },
    },
    {
      name: 'modules-do-not-know-standards',
      comment: 'domain modules speak the neutral model; standards are facades over them',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/(standards|ui|app|cli)/' },
    },
    {
      name: 'module-public-surface',
      comment: 'other parts reach a module only through its index.ts',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/modules/([^/]+)/', '^src/platform/db/schema\\.ts$'] },
      // A module's migrations are assembled by the composition root (migrations-assembled-by-the-composition-root).
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/[^/]+/index\\.ts$', MIGRATIONS_INDEX] },
    },
    {
      name: 'module-to-module-through-index',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'module-infra-is-private',
      comment: "a module's infra/ (its tables, migrations, repository implementation) is reached only by the module itself",
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/modules/([^/]+)/', '^src/platform/db/schema\\.ts$'] },
      to: { path: '^src/modules/[^/]+/infra/', pathNot: MIGRATIONS_INDEX },
    },
    {
      name: 'module-infra-not-shared',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/infra/', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'pages-and-facades-call-module-apis',
      comment:
        'ui/ and standards/ reach data only through module API objects, never the database or the cache. ' +
        'No facade file is an exception any more; add none. ' +
        "A facade's _wire/infra/ is its own storage (the request bodies it echoes, decision 0005g), not a module's data.",
      severity: 'error',
      from: {
        path: '^src/(ui|standards)/',
        pathNot: [
          '^src/standards/[^/]+/[^/]+/_wire/infra/',
        ],
      },
      to: { path: '^src/platform/(db|cache)/' },
    },
    {
      name: 'facade-wire-infra-is-private',
      comment: "a facade's wire store tables and repository are reached only by that facade (and the schema's re-export)",
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/standards/([^/]+/[^/]+)/', '^src/platform/db/schema\\.ts$'] },
      to: { path: '^src/standards/[^/]+/[^/]+/_wire/infra/', pathNot: MIGRATIONS_INDEX },
    },
    {
      name: 'migrations-assembled-by-the-composition-root',
      comment:
        "each owner of tables (a module, a core adapter, the authorisation server, a facade's wire store, the platform) " +
        'declares its migrations in its migrations/ folder; only the composition root imports them, through that ' +
        "folder's index.ts, and assembles the one list (decision 0008h). Every owner may use the platform's shared column groups.",
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app/', MIGRATIONS] },
      to: { path: MIGRATIONS, pathNot: SHARED_COLUMNS },
    },
    {
      name: 'migrations-through-their-index',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: MIGRATIONS, pathNot: MIGRATIONS_INDEX },
    },
    {
      name: 'migrations-depend-on-the-platform-only',
      comment:
        'an applied migration must send the same SQL for ever: it imports its own folder and the platform (the Migrations ' +
        'type, the shared column groups), never a domain constant that could change under it',
      severity: 'error',
      from: { path: '^src/(.+)/migrations/' },
      to: { path: '^src/', pathNot: ['^src/$1/migrations/', '^src/platform/db/(index|migrate)\\.ts$', SHARED_COLUMNS] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
