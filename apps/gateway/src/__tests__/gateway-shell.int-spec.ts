import { loadConfig } from '@switchboard/common';
import { kafkaBrokers, RunningService, startService } from '@switchboard/testing';
import request from 'supertest';
import { GatewayAppModule } from '../app.module';
import { gatewayConfigSchema } from '../gateway.config';

function gatewayConfig(overrides: Record<string, string> = {}) {
  return loadConfig(gatewayConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: kafkaBrokers().join(','),
    JWT_SECRET: 'gateway-shell-jwt-secret-0123456789',
    INTERNAL_API_TOKEN: 'gateway-shell-internal-token-0123',
    SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'),
    ...overrides,
  });
}

describe('gateway service shell', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startService(GatewayAppModule.forRoot(gatewayConfig()));
  }, 60_000);

  afterAll(async () => {
    await service?.close();
  });

  it('GET /healthz answers 200', async () => {
    await request(service.url).get('/healthz').expect(200, { status: 'ok' });
  });

  it('GET /readyz answers 200 naming kafka and the realtime consumers as up', async () => {
    let response = await request(service.url).get('/readyz');
    for (let attempt = 0; attempt < 60 && response.status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      response = await request(service.url).get('/readyz');
    }
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      ready: true,
      checks: { kafka: { status: 'up' }, realtime: { status: 'up' }, webchat: { status: 'up' } },
    });
  }, 60_000);

  it('GET /metrics serves default metrics and the http duration histogram', async () => {
    await request(service.url).get('/healthz').expect(200);
    const response = await request(service.url).get('/metrics').expect(200);
    expect(response.text).toContain('process_cpu_user_seconds_total');
    expect(response.text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*method="GET"[^}]*route="\/healthz"[^}]*status="200"/,
    );
  });

  it('GET /readyz answers 503 naming kafka when no broker answers', async () => {
    const broken = await startService(
      GatewayAppModule.forRoot(gatewayConfig({ KAFKA_BROKERS: '127.0.0.1:1' })),
    );
    try {
      const response = await request(broken.url).get('/readyz').expect(503);
      expect(response.body).toMatchObject({
        status: expect.stringMatching(/^not ready: /),
        checks: { kafka: { status: 'down' }, realtime: { status: 'down' }, webchat: { status: 'down' } },
      });
      expect([...response.body.failing].sort()).toEqual(['kafka', 'realtime', 'webchat']);
    } finally {
      await broken.close();
    }
  }, 30_000);
});
