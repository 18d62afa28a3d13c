// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const workspaceImports = { group: ['**/shared/src/**', '../../shared/**', '**/server/src/**', '**/simulators/src/**'], message: 'import the workspace by package name (@chairside/…)' };
const clientTestFiles = ['client/src/**/*.test.{ts,tsx}', 'client/src/**/*-fixtures.ts', 'client/src/**/test-*.ts', 'client/src/**/fake-*.ts'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'test-results/**', 'playwright-report/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Workspaces import one another by package name, never by relative path.
    files: ['**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [workspaceImports] }] },
  },
  {
    // The dashboard's layers (docs/architecture.md, "Workspaces and folders"): a feature imports lib/,
    // hooks/, store/, api/, socket/ and components/, never another feature nor a page; what two
    // features need moves down, and a screen that shows several features is a page. Tests and
    // fixtures may compose features.
    files: ['client/src/features/**/*.{ts,tsx}'],
    ignores: clientTestFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            workspaceImports,
            { regex: '^\\.\\./(?!\\.\\./)', message: 'a feature never imports another feature: move what both need to lib/ (or hooks/, components/), or compose them in a page (client/src/pages/)' },
            { regex: '/pages/', message: 'a feature never imports a page: pages compose features' },
          ],
        },
      ],
    },
  },
  {
    files: ['client/src/{lib,hooks,store,api,socket,components}/**/*.{ts,tsx}'],
    ignores: clientTestFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [workspaceImports, { regex: '/(features|pages)/', message: 'lib/, hooks/, store/, api/, socket/ and components/ sit below the features and pages: they never import them' }] },
      ],
    },
  },
  {
    // shared/ is pure: no I/O, no clock, no randomness (docs/architecture.md, "Code conventions").
    files: ['shared/src/**/*.ts'],
    ignores: ['shared/src/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch', 'process', 'window', 'document'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'shared/ is pure: take the time as an argument' },
        { object: 'Math', property: 'random', message: 'shared/ is pure: take randomness as an argument' },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'path', 'http', 'net'], message: 'shared/ is pure: no I/O' }, { group: ['@chairside/*'], message: 'shared/ depends on nothing of ours' }] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'shared/ is pure: take the time as an argument' },
      ],
    },
  },
  {
    files: ['client/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
);
