const preset = require('../jest.preset.js');
module.exports = { ...preset, displayName: 'bpmn', rootDir: __dirname, testMatch: ['<rootDir>/checks/**/*.spec.ts'] };
