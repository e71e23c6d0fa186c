/**
 * DESIGN.md §2.4: dependencies point inward — standards → modules → core/platform — and a module is
 * reached only through its index.ts.
 */
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
      comment: 'while tables move into their modules, platform/db/schema.ts may import a module\'s (the authorisation server\'s, or a facade\'s wire store\'s) *.tables.ts and nothing else above it',
      severity: 'error',
      from: { path: '^src/platform/db/schema\\.ts$' },
      to: { path: '^src/(?!platform/|modules/[^/]+/infra/[^/]+\\.tables\\.ts$|auth/infra/[^/]+\\.tables\\.ts$|standards/[^/]+/[^/]+/_wire/infra/[^/]+\\.tables\\.ts$)' },
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
      from: { path: '^src/', pathNot: ['^src/app/', '^src/core/adapters/', '^src/modules/sandbox/'] },
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
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
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
      to: { path: '^src/modules/[^/]+/infra/' },
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
        'The files listed in pathNot still do and are to be moved onto module APIs; add none. ' +
        "A facade's _wire/infra/ is its own storage (the request bodies it echoes, decision 0005g), not a module's data.",
      severity: 'error',
      from: {
        path: '^src/(ui|standards)/',
        pathNot: [
          '^src/standards/[^/]+/[^/]+/_wire/infra/',
          '^src/standards/uk-obie/v4\\.0/payment-initiation/(pis-route-context|pis-route-family)\\.ts$',
          '^src/standards/uk-obie/v4\\.0/security/security-context\\.ts$',
          '^src/standards/uk-obie/v4\\.0/uk-obie-v4\\.routes\\.ts$',
        ],
      },
      to: { path: '^src/platform/(db|cache)/' },
    },
    {
      name: 'facade-wire-infra-is-private',
      comment: "a facade's wire store tables and repository are reached only by that facade (and the schema's re-export)",
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/standards/([^/]+/[^/]+)/', '^src/platform/db/schema\\.ts$'] },
      to: { path: '^src/standards/[^/]+/[^/]+/_wire/infra/' },
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
