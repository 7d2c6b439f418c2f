export * from './lib/topics';
export * from './lib/envelope';
export * from './lib/events';
export * from './lib/codec';
export * from './lib/asyncapi';
export * from './lib/workers';
export * from './lib/china-ids';
export * from './lib/applicant-kind';
