export * from './infra-env';
export * from './unique-name';
export * from './tcp-probe';
export * from './test-database';
export * from './running-service';
export * from './run-entrypoint';
