export * from './lib/stack';
export * from './lib/schema-drift';
export * from './lib/service-app';
export * from './lib/bpmn';
