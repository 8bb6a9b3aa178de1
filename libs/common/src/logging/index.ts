export * from './correlation-id';
export * from './correlation-id.middleware';
export * from './redact';
export * from './create-logger';
export * from './logging.module';
