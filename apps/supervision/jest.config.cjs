const preset = require('../../jest.preset.js');
module.exports = { ...preset, displayName: 'supervision', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
