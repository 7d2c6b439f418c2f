const preset = require('../../../jest.preset.js');
module.exports = { ...preset, displayName: 'ledger', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
