export * from './lib/canonical';
export * from './lib/ledger';
export * from './lib/anchors';
export * from './lib/legacy';
export * from './lib/legacy-head.entity';
