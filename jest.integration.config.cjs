// Integration and end-to-end tier: runs against the real PostgreSQL, Kafka and Camunda engine that
// `npm run stack:up` (tools/stack) starts. Serial, because the tests share those components.
const preset = require('./jest.preset.js');
module.exports = {
  ...preset,
  rootDir: __dirname,
  displayName: 'integration',
  testMatch: ['<rootDir>/{apps,libs}/**/*.integration-spec.ts', '<rootDir>/{apps,libs}/**/*.e2e-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
