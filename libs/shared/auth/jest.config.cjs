const preset = require('../../../jest.preset.js');
module.exports = { ...preset, displayName: 'auth', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
