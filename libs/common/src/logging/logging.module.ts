import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { CorrelationIdMiddleware } from './correlation-id.middleware';
import { correlationIdFor } from './correlation-id';
import { createLogger, CreateLoggerOptions } from './create-logger';

export interface LoggingModuleOptions extends CreateLoggerOptions {
  /** an existing logger (else one is created from the options) */
  logger?: Logger;
  /** paths whose successful requests are not logged (default: health and metrics) */
  quietPaths?: string[];
}

const ALL_ROUTES = { path: '{*path}', method: RequestMethod.ALL };
const DEFAULT_QUIET_PATHS = ['/healthz', '/readyz', '/metrics'];

/**
 * pino for Nest (nestjs-pino): one JSON line per request with its correlation id, the id echoed
 * in `x-correlation-id`, and the Nest `Logger` routed to pino with the context name. Bootstrap
 * with `app.useLogger(app.get(Logger))` (nest/create-service-app does it).
 */
@Module({})
export class LoggingModule implements NestModule {
  static forRoot(options: LoggingModuleOptions): DynamicModule {
    const logger = options.logger ?? createLogger(options);
    const quiet = new Set(options.quietPaths ?? DEFAULT_QUIET_PATHS);
    return {
      module: LoggingModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          forRoutes: [ALL_ROUTES],
          pinoHttp: {
            logger,
            genReqId: correlationIdFor,
            quietReqLogger: true,
            customAttributeKeys: { reqId: 'correlationId' },
            autoLogging: { ignore: (req: IncomingMessage) => quiet.has((req.url ?? '').split('?')[0]) },
            customLogLevel: (_req, res, error) =>
              error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes(ALL_ROUTES);
  }
}
