const preset = require('../../../jest.preset.js');
module.exports = { ...preset, displayName: 'deadlines', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
