/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  globalSetup: '<rootDir>/tests/setup/global-setup.js',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.js',
  setupFiles: ['reflect-metadata'],
  // Closes what a file left open (a timed-out beforeAll), so one file's failure cannot starve the next.
  setupFilesAfterEnv: ['<rootDir>/tests/setup/after-env.ts'],
  // Fitted to a loaded 2-core machine: a setup that waits on PostgreSQL and argon2 beside another
  // heavy process may take minutes; the tests' own bounds are conditions, not timings.
  testTimeout: 180000,
  maxWorkers: 2,
};
