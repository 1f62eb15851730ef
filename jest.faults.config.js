/**
 * npm run test:faults: the built service (`dist/`) as real processes on the embedded store —
 * SIGKILL under load and restart, two processes on one store, graceful shutdown, backup and
 * restore. One file at a time: each runs service processes of its own.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testRegex: '\\.faults-spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
  maxWorkers: 1,
  testTimeout: 120000,
};
