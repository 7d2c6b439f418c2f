const preset = require('../../jest.preset.js');
module.exports = { ...preset, displayName: 'intake', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
