// Import rules `npm run lint` enforces with dependency-cruiser (`depcruise server src`): no import cycles anywhere,
// type-only imports included, and the server's layers depend downwards only:
//   http (routes), jobs -> services (orchestration) -> store (SQL), sync (rooms), domain (pure rules).
// ESLint (eslint.config.js) keeps server/domain free of I/O and the front end to server/domain.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'An import cycle: move what both sides need into a lower module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'services-not-http',
      comment:
        'server/services is below the routes: whatever a service needs from http/ belongs in services or domain.',
      severity: 'error',
      from: { path: '^server/services/' },
      to: { path: '^server/http/' },
    },
    {
      name: 'background-not-http',
      comment: 'Background work (server/background.ts, the jobs and workers in services/) runs outside any request.',
      severity: 'error',
      from: { path: '^server/background[.]ts$' },
      to: { path: '^server/http/' },
    },
    {
      name: 'store-is-the-bottom',
      comment: 'server/store is SQL only: it may use domain and db, never the layers above it.',
      severity: 'error',
      from: { path: '^server/store/' },
      to: { path: '^server/(http|services|sync)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|build|[.]svelte-kit)/' },
    // Count `import type` too, as madge does: a cycle of types is still a knot to untie.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
  },
};
