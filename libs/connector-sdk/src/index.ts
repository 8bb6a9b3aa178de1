export * from './errors';
export * from './manifest';
export * from './connector';
export * from './host';
