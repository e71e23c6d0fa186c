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
      from: { path: '^src/platform/' },
      to: { path: '^src/(core|modules|standards|auth|ui|app|cli)/' },
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
      from: { path: '^src/', pathNot: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'module-to-module-through-index',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
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
