export * from './lib/object-store';
export * from './lib/local-disk-store';
export * from './lib/s3-store';
export * from './lib/sigv4';
export * from './lib/content-type';
export * from './lib/zip-inspector';
export * from './lib/file-name';
