const preset = require('../../../jest.preset.js');
module.exports = { ...preset, displayName: 'storage', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
