import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  // Only the Electron host may load Electron: app/ must run under plain Node (CLI, tests, web host).
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'electron may only be imported in main/electron/.' },
          ],
        },
      ],
    },
  },
  // app/api is the composition root: hosts import it, nothing else in app/ does (issue 13).
  {
    files: ['app/**/*.ts'],
    ignores: ['app/api/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/*', '**/api'],
              message:
                'Only hosts and app/api import app/api (the composition root); the app name and version are in app/identity.ts.',
            },
          ],
        },
      ],
    },
  },
  // The renderer sees the contract's types and nothing of Node or app/ at run time.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'No Node built-ins in the renderer.',
            })),
            { name: 'electron', message: 'The renderer talks to the app only through its client.' },
          ],
          patterns: [
            {
              // The text catalogue (JSON data and the list of its files) is the one the CLI, the
              // PDF and the app's messages read too.
              regex: '(^|/)app/(?!contract(/|$)|text/locales/index(\\.js)?$)',
              message: 'The renderer may only use app/contract and the text catalogue.',
            },
            {
              // xml-bytes (a pure decoder, TextDecoder only), datetime (Intl only), devices (the
              // fold of addresses into devices), service-text, page-limits, quotation, outside-words and port-spec
              // (no import) and vocabulary (the catalogue's data only) are shared by the app and the
              // page.
              regex:
                'app/contract(?!/(xml-bytes|datetime|devices|service-text|vocabulary|page-limits|quotation|outside-words|port-spec)(\\.js)?$)',
              allowTypeImports: true,
              message: 'Import only types from app/contract (import type …).',
            },
            { group: ['**/main/**'], message: 'The renderer may not import a host.' },
          ],
        },
      ],
    },
  },
  prettier,
);
