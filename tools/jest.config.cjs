const preset = require('../jest.preset.js');
module.exports = { ...preset, displayName: 'tools', rootDir: __dirname, testMatch: ['<rootDir>/lint-rules/**/*.spec.ts', '<rootDir>/stack/**/*.spec.ts', '<rootDir>/build/**/*.spec.ts'] };
