import { DynamicModule, INestApplication, Logger } from '@nestjs/common';
import { z } from 'zod';
import { ConfigError } from '../config/config-error';
import { Env, loadConfig } from '../config/load-config';
import { createServiceApp, CreateServiceAppOptions } from './create-service-app';

export interface BootstrapServiceOptions<
  S extends z.ZodType<{ PORT: number }, z.ZodTypeDef, unknown>,
> extends CreateServiceAppOptions {
  /** the service name (logs, messages) */
  name: string;
  configSchema: S;
  /** the root module for a loaded config */
  module: (config: z.output<S>) => DynamicModule;
  /** default: process.env */
  env?: Env;
  /** host to bind (default all interfaces) */
  host?: string;
}

/**
 * A service's main(): loads and validates the config first (a ConfigError is printed on stderr and
 * the process exits with 1), creates the Nest app with the pino logger and shutdown hooks, listens on
 * PORT. Any other start-up failure is printed and exits with 1 too.
 */
export async function bootstrapService<S extends z.ZodType<{ PORT: number }, z.ZodTypeDef, unknown>>(
  options: BootstrapServiceOptions<S>,
): Promise<INestApplication> {
  let config: z.output<S>;
  try {
    config = loadConfig(options.configSchema, options.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`[${options.name}] ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  try {
    const app = await createServiceApp(options.module(config), options);
    await (options.host ? app.listen(config.PORT, options.host) : app.listen(config.PORT));
    new Logger('Bootstrap').log(`${options.name} listening on ${await app.getUrl()}`);
    return app;
  } catch (error) {
    process.stderr.write(
      `[${options.name}] failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  }
}
