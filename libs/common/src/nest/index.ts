export * from './create-service-app';
export * from './bootstrap-service';
