import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { HttpErrorFilter } from '../errors/http-error.filter';

export interface CreateServiceAppOptions {
  /** extra set-up on the app before init (global pipes, prefixes…) */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * A Nest application for one service's root module, not yet listening: pino as the Nest logger
 * (the module must import LoggingModule), shutdown hooks on SIGTERM/SIGINT, errors rendered as
 * `{error:{code,message,details}}` (HttpErrorFilter), and the module's own set-up. Tests call it with the module built from a test config, then `app.listen(0)`.
 */
export async function createServiceApp(
  module: DynamicModule | Type<unknown>,
  options: CreateServiceAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.enableShutdownHooks();
  app.useGlobalFilters(new HttpErrorFilter());
  await options.configure?.(app);
  await app.init();
  return app;
}
