import { DynamicModule, Global, Module } from '@nestjs/common';

/** Injection token of the service's typed config (the output of loadConfig). */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Makes the loaded config injectable everywhere: `@Inject(APP_CONFIG) config: InboxConfig`. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot<T extends object>(config: T): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
