const preset = require('../../../jest.preset.js');
module.exports = { ...preset, displayName: 'calendar', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
