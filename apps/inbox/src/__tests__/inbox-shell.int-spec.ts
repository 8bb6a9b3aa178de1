import { loadConfig } from '@switchboard/common';
import { kafkaBrokers, RunningService, startService, testDatabaseUrl, uniqueName } from '@switchboard/testing';
import request from 'supertest';
import { InboxAppModule } from '../app.module';
import { inboxConfigSchema } from '../inbox.config';

function inboxConfig(overrides: Record<string, string> = {}) {
  return loadConfig(inboxConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: kafkaBrokers().join(','),
    DATABASE_URL: testDatabaseUrl(),
    SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    INTERNAL_API_TOKEN: 'an-internal-token-of-some-length',
    KAFKA_TOPIC_PREFIX: `${uniqueName('inbox-shell')}.`,
    ROUTING_SWEEP_MS: '0',
    ...overrides,
  });
}

describe('inbox service shell', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startService(InboxAppModule.forRoot(inboxConfig()));
  }, 60_000);

  afterAll(async () => {
    await service?.close();
  });

  it('GET /healthz answers 200', async () => {
    await request(service.url).get('/healthz').expect(200, { status: 'ok' });
  });

  it('GET /readyz answers 200 naming postgres and kafka as up', async () => {
    const response = await request(service.url).get('/readyz').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      ready: true,
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
  }, 30_000);

  it('GET /metrics serves default metrics and the http duration histogram', async () => {
    await request(service.url).get('/healthz').expect(200);
    const response = await request(service.url).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('process_cpu_user_seconds_total');
    expect(response.text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*method="GET"[^}]*route="\/healthz"[^}]*status="200"/,
    );
  });
});
