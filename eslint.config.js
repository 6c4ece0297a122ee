// Lint: type-aware TypeScript rules (no floating promises), Svelte, and the layering rule that the
// front end may import only server/domain from the server.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  { ignores: ['build/', 'dist/', '.svelte-kit/', 'node_modules/', 'data/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: { parserOptions: { parser: ts.parser, svelteConfig } },
    // The app is always served at the root (no paths.base), so links need no resolve().
    rules: { 'svelte/no-navigation-without-resolve': 'off' },
  },
  {
    files: ['src/**'],
    rules: {
      'svelte/no-navigation-without-resolve': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/server/**',
                '$server/**',
                '!**/server/domain',
                '!**/server/domain/**',
                '!$server/domain',
                '!$server/domain/**',
              ],
              message: 'The front end may import only server/domain (pure code) from the server.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'hono',
                'hono/*',
                'postgres',
                '**/store/**',
                '**/sync/**',
                '**/services/**',
                '**/http/**',
                'node:*',
              ],
              message: 'server/domain is pure: no I/O, no Hono, no postgres.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.config.js', '*.config.ts', '.dependency-cruiser.cjs'],
    ...ts.configs.disableTypeChecked,
  },
);
