const preset = require('../../../jest.preset.js');
module.exports = { ...preset, displayName: 'workflow', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
