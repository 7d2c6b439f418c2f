export * from './lib/stack';
export * from './lib/schema-drift';
