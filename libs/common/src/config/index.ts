export * from './config-error';
export * from './env-fields';
export * from './env-schemas';
export * from './load-config';
export * from './app-config.module';
