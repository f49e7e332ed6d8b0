/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  maxWorkers: 2,
  // lib/ built once for the suites that test what is published (see the file).
  globalSetup: '<rootDir>/test/global-setup.js',
  // The examples import the package by name, as an app would (tsconfig.json `paths` does the same).
  moduleNameMapper: {
    '^cdk8s-llm-d$': '<rootDir>/src/index.ts',
    '^cdk8s-llm-d/(helm|testing)$': '<rootDir>/src/$1/index.ts',
  },
};
