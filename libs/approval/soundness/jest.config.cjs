const preset = require('../../../jest.preset.js');
module.exports = { ...preset, displayName: 'soundness', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
