export * from './bus-probe';
export * from './capturing-logger';
export * from './channel-fixtures';
export * from './contract-checks';
export * from './contract-suite';
export * from './fake-secrets';
export * from './memory-blob-store';
export * from './wait-for';
