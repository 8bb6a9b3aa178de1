import { loadConfig } from '@switchboard/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaBrokers, RunningService, startService, uniqueName } from '@switchboard/testing';
import request from 'supertest';
import { TelegramConnectorAppModule } from '../app.module';
import { TelegramConnectorRuntime } from '../telegram/telegram-connector.runtime';
import { telegramConnectorConfigSchema } from '../telegram-connector.config';

function telegramConnectorConfig(overrides: Record<string, string> = {}) {
  return loadConfig(telegramConnectorConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_TOPIC_PREFIX: `${uniqueName('tgshell')}.`,
    SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'),
    BLOB_DIR: join(tmpdir(), uniqueName('tgshell-blobs')),
    ...overrides,
  });
}

describe('telegram-connector service shell', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startService(TelegramConnectorAppModule.forRoot(telegramConnectorConfig()));
  }, 60_000);

  afterAll(async () => {
    await service?.close();
  });

  it('GET /healthz answers 200', async () => {
    await request(service.url).get('/healthz').expect(200, { status: 'ok' });
  });

  it('GET /readyz answers 200 naming kafka and the telegram host as up', async () => {
    await service.app.get(TelegramConnectorRuntime).started;
    const response = await request(service.url).get('/readyz').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', ready: true, checks: { kafka: { status: 'up' }, telegram: { status: 'up' } } });
  }, 30_000);

  it('GET /metrics serves default metrics and the http duration histogram', async () => {
    await request(service.url).get('/healthz').expect(200);
    const response = await request(service.url).get('/metrics').expect(200);
    expect(response.text).toContain('process_cpu_user_seconds_total');
    expect(response.text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*method="GET"[^}]*route="\/healthz"[^}]*status="200"/,
    );
  });

  it('GET /readyz answers 503 naming kafka (and the telegram host that cannot start) when no broker answers', async () => {
    const broken = await startService(
      TelegramConnectorAppModule.forRoot(telegramConnectorConfig({ KAFKA_BROKERS: '127.0.0.1:1' })),
    );
    try {
      const response = await request(broken.url).get('/readyz').expect(503);
      expect(response.body).toMatchObject({
        status: 'not ready: kafka, telegram',
        failing: ['kafka', 'telegram'],
        checks: { kafka: { status: 'down' }, telegram: { status: 'down' } },
      });
    } finally {
      await broken.close();
    }
  }, 30_000);
});
