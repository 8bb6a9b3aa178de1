import {
  DynamicModule,
  MiddlewareConsumer,
  Module,
  ModuleMetadata,
  NestModule,
  Provider,
  RequestMethod,
} from '@nestjs/common';
import { HealthController } from './health.controller';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsService } from './metrics.service';
import { READINESS_CHECKS, ReadinessCheck, ReadinessCheckProvider } from './readiness-check';
import { ReadinessRegistry } from './readiness.registry';

export interface HealthModuleOptions {
  /** checks built from injected dependencies, e.g. `{ inject: [MESSAGE_BUS], useFactory: busReadinessCheck }` */
  checks?: Array<ReadinessCheck | ReadinessCheckProvider>;
  /** modules whose exported providers the check factories inject */
  imports?: ModuleMetadata['imports'];
}

function isProvider(check: ReadinessCheck | ReadinessCheckProvider): check is ReadinessCheckProvider {
  return 'useFactory' in check;
}

/**
 * /healthz, /readyz, /metrics for a service, plus the global ReadinessRegistry and MetricsService
 * (inject them to add checks or metrics from any module).
 */
@Module({})
export class HealthModule implements NestModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    const checks = options.checks ?? [];
    const checkTokens = checks.map((_, index) => Symbol(`readiness-check-${index}`));
    const checkProviders: Provider[] = checks.map((check, index) =>
      isProvider(check)
        ? { provide: checkTokens[index], inject: check.inject ?? [], useFactory: check.useFactory }
        : { provide: checkTokens[index], useValue: check },
    );
    return {
      module: HealthModule,
      global: true,
      imports: options.imports ?? [],
      controllers: [HealthController],
      providers: [
        ...checkProviders,
        {
          provide: READINESS_CHECKS,
          inject: checkTokens,
          useFactory: (...resolved: ReadinessCheck[]) => resolved,
        },
        ReadinessRegistry,
        MetricsService,
      ],
      exports: [ReadinessRegistry, MetricsService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
