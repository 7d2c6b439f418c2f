export * from './lib/camunda.client';
export * from './lib/worker-host';
export * from './lib/camunda-admin.client';
