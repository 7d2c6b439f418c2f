export * from './lib/net';
export * from './lib/from-bpmn';
export * from './lib/explore';
export * from './lib/rules';
export * from './lib/bpmn';
