// Three tiers: pure unit tests, and the database/API tests run once per PostgreSQL: the embedded
// one (always) and an external server from TEST_DATABASE_URL (always in CI).
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const externalDatabaseUrl = process.env.TEST_DATABASE_URL;
if (process.env.CI && !externalDatabaseUrl) {
  throw new Error('CI must set TEST_DATABASE_URL so the database tests also run against the PostgreSQL service');
}

const databaseProject = (
  name: string,
  provide: { databaseMode: 'embedded' | 'external'; externalDatabaseUrl?: string },
) => ({
  test: {
    name,
    include: ['test/integration/**/*.test.ts'],
    globalSetup: ['test/support/database-setup.ts'],
    provide,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});

// Unit tests of runes code (`*.svelte.test.ts`, `*.svelte.ts`) run Svelte's client runtime, whose effects run: the
// compiler emits client code, and `svelte` resolves to its browser entry (its server one never runs an effect).
const svelteClient = (entry: string) => fileURLToPath(new URL(`node_modules/svelte/src/${entry}`, import.meta.url));
const unitProject = {
  plugins: [svelte({ dynamicCompileOptions: () => ({ generate: 'client' as const }) })],
  resolve: {
    alias: [
      { find: /^svelte$/, replacement: svelteClient('index-client.js') },
      { find: /^svelte\/reactivity$/, replacement: svelteClient('reactivity/index-client.js') },
    ],
  },
  test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
};

export default defineConfig({
  test: {
    projects: [
      unitProject,
      { test: { name: 'startup', include: ['test/startup/**/*.test.ts'], testTimeout: 180_000 } },
      databaseProject('db:embedded', { databaseMode: 'embedded' }),
      ...(externalDatabaseUrl
        ? [databaseProject('db:external', { databaseMode: 'external', externalDatabaseUrl })]
        : []),
    ],
  },
});
