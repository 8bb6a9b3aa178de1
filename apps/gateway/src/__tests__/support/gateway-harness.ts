import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createServiceApp, loadConfig } from '@switchboard/common';
import { kafkaBrokers, uniqueName } from '@switchboard/testing';
import { GatewayAppModule } from '../../app.module';
import { GatewayConfig, gatewayConfigSchema } from '../../gateway.config';
import { configureGateway } from '../../gateway.setup';

export const TEST_JWT_SECRET = 'gateway-test-jwt-secret-0123456789';
export const TEST_INTERNAL_TOKEN = 'gateway-test-internal-token-0123456789';

export interface RunningGateway {
  app: INestApplication;
  url: string;
  config: GatewayConfig;
  close(): Promise<void>;
}

/** A gateway configuration for tests: a unique Kafka topic prefix unless given, the inbox at `inboxUrl`. */
export function gatewayTestConfig(env: Record<string, string>): GatewayConfig {
  return loadConfig(gatewayConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_TOPIC_PREFIX: `${uniqueName('gateway-test')}.`,
    JWT_SECRET: TEST_JWT_SECRET,
    INTERNAL_API_TOKEN: TEST_INTERNAL_TOKEN,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    BLOB_DIR: mkdtempSync(join(tmpdir(), 'gateway-test-blobs-')),
    SESSION_REVOCATION_POLL_MS: '200',
    ...env,
  });
}

/** Boots the gateway the way main.ts does (with configureGateway: API docs), on a free port. */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const app = await createServiceApp(GatewayAppModule.forRoot(config), {
    configure: configureGateway(config),
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}`, config, close: () => app.close() };
}
