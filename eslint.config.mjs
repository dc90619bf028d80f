// libs/ stays framework-free: no Nest, no TypeORM, nothing from src/.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: 'libs/ is framework-free.' },
            { group: ['typeorm', 'typeorm/*', 'pg'], message: 'libs/ does no I/O.' },
            { group: ['**/src/**', 'src/*'], message: 'libs/ must not depend on the app.' },
          ],
        },
      ],
    },
  },
);
