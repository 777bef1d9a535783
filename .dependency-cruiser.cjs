/**
 * Module boundaries (docs/architecture.md, "Modules"): a module reaches another only through
 * its index.ts, modules never form a cycle, and the platform kernel knows no module.
 * Run with `npm run lint:boundaries`.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-deep-imports-between-modules',
      comment: "Another module's files are its own: import what it offers from src/modules/<name>/index.ts.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/([^/]+)/.+',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'no-cycles-between-modules',
      comment: 'Two modules that need each other are one module, or one of them owns the shared part.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/modules/[^/]+$' },
      to: { path: '^src/modules/[^/]+$', circular: true },
    },
    {
      name: 'no-circular',
      comment: 'No file depends on itself through others, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-knows-no-module',
      comment: 'The kernel is what every module may use; it must not depend on any of them.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
  ],
  options: {
    // Folder-scoped rules (cycles between modules) are only evaluated when metrics are derived.
    metrics: true,
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
