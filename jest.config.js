// Two tiers: unit specs beside the code (libs/ and src/), e2e specs in test/ against a real Postgres.
// NestJS 12 ships as ES modules only, so Jest runs in its native ESM mode
// (node --experimental-vm-modules) and ts-jest emits ESM; the build itself stays CommonJS.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json', useESM: true }],
};
const moduleNameMapper = {
  '^@roster/scim-core$': '<rootDir>/libs/scim-core/src/index.ts',
  '^@roster/mapping-core$': '<rootDir>/libs/mapping-core/src/index.ts',
  '^@roster/group-rules$': '<rootDir>/libs/group-rules/src/index.ts',
};
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform,
  moduleNameMapper,
};

module.exports = {
  // A global option in Jest 30 (ignored inside projects): e2e suites boot the app and Postgres.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
