export * from './lib/bus';
export * from './lib/kafkajs.adapter';
export * from './lib/schema';
export * from './lib/outbox';
export * from './lib/relay';
export * from './lib/consumer';
export * from './lib/service-messaging';
export * from './lib/transient';
