export * from './lib/camunda.client';
export * from './lib/worker-host';
