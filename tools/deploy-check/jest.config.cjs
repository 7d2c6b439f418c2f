const preset = require('../../jest.preset.js');
module.exports = { ...preset, displayName: 'deploy-check', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'], testTimeout: 30000 };
