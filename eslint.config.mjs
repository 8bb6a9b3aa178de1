// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const appNames = ['gateway', 'inbox', 'email-connector', 'telegram-connector'];

/**
 * Import boundaries: libs never import apps, no app imports another app, product code never imports
 * libs/testing, and the examples (what bot authors copy) import nothing of the project.
 */
const boundaries = [
  {
    files: ['examples/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', 'apps/**', '**/libs/**', '@switchboard/*'],
              message: 'an example stands alone: authors copy it',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**', 'apps/**'], message: 'libs never import apps' }] },
      ],
    },
  },
  ...appNames.map((app) => ({
    files: [`apps/${app}/src/**/*.ts`],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...appNames
              .filter((other) => other !== app)
              .map((other) => ({
                group: [`**/apps/${other}/**`, `apps/${other}/**`, `**/${other}/src/**`],
                message: 'one app never imports another app',
              })),
            {
              group: ['@switchboard/testing', '@switchboard/testing/*', '**/libs/testing/**'],
              message: 'libs/testing is for tests only',
            },
          ],
        },
      ],
    },
  })),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.infra/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaries,
  prettier,
);
