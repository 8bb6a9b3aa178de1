export * from './readiness-check';
export * from './readiness.registry';
export * from './metrics.service';
export * from './http-metrics.middleware';
export * from './health.controller';
export * from './health.module';
export * from './postgres-readiness.check';
export * from './kafka-readiness.check';
