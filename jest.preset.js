// Shared jest settings. @swc/jest compiles TypeScript (with decorator metadata) and also the ESM-only
// dependencies (jose 6, bpmn-moddle 10, camunda-external-task-client-js 3), hence transformIgnorePatterns: [].
const { join } = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj|cj)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [],
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testEnvironmentOptions: { customExportConditions: ['node', 'require', 'default'] },
  cacheDirectory: join(__dirname, 'node_modules/.cache/jest'),
};
