/** Two projects: fast unit tests (*.spec.ts) and integration tests on real Postgres and Kafka (*.int-spec.ts). */
const moduleNameMapper = {
  '^@switchboard/common(|/.*)$': '<rootDir>/libs/common/src$1',
  '^@switchboard/connector-sdk(|/.*)$': '<rootDir>/libs/connector-sdk/src$1',
  '^@switchboard/testing(|/.*)$': '<rootDir>/libs/testing/src$1',
};
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/examples', '<rootDir>/test'].filter((p) =>
    require('fs').existsSync(p.replace('<rootDir>', __dirname)),
  ),
};
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/infra/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/infra/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/infra/integration-timeout.ts'],
    },
  ],
};
