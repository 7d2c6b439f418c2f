const preset = require('../../../jest.preset.js');
module.exports = { ...preset, displayName: 'messaging', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
