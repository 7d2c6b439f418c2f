const preset = require('../../jest.preset.js');
module.exports = { ...preset, displayName: 'approval', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
