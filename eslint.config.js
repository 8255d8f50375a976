import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/build/**', '**/node_modules/**', '.nx/**', '.device/**', 'packages/backend/native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { '@nx': nx },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:backend', onlyDependOnLibsWithTags: ['scope:backend'] },
            { sourceTag: 'scope:framework', onlyDependOnLibsWithTags: ['scope:backend', 'scope:framework', 'scope:testing'] },
            { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:backend', 'scope:testing'] },
          ],
        },
      ],
    },
  },
  {
    // Tests and the shared test helpers may import any package (the helpers need the backend, the backend's
    // tests need the helpers); the boundaries above hold for the shipped code.
    files: ['**/*.test.ts', 'packages/testing/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // The framework reaches engines only through the backend's facades.
    files: ['packages/!(backend)/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tensorflow/*'], message: 'Framework packages never import an engine: use @puzzle/backend.' },
            { group: ['@puzzle/backend/*', '**/backend/src/**'], message: 'Import the public @puzzle/backend entry only.' },
          ],
        },
      ],
    },
  },
);
