import { kafkaBrokers, runEntrypoint, spawnEntrypoint, testDatabaseUrl, uniqueName } from '@switchboard/testing';
import request from 'supertest';

describe('inbox entrypoint', () => {
  it('exits with 1 and names every missing or malformed variable', async () => {
    const result = await runEntrypoint('apps/inbox/src/main.ts', { KAFKA_BROKERS: 'kafka-without-port' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '[inbox] Invalid environment: KAFKA_BROKERS must be a comma-separated list of host:port; DATABASE_URL is required; SECRETS_KEY is required; INTERNAL_API_TOKEN is required',
    );
  }, 60_000);

  it('starts, logs JSON, serves /healthz and /readyz, and stops on SIGTERM', async () => {
    const service = spawnEntrypoint('apps/inbox/src/main.ts', {
      PORT: '0',
      KAFKA_BROKERS: kafkaBrokers().join(','),
      DATABASE_URL: testDatabaseUrl(),
      SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      INTERNAL_API_TOKEN: 'an-internal-token-of-some-length',
      KAFKA_TOPIC_PREFIX: `${uniqueName('inbox-main')}.`,
    });
    try {
      const [, url] = await service.waitFor(/inbox listening on (http:\/\/\S+?)"/);
      const base = url.replace('[::1]', 'localhost');
      await request(base).get('/healthz').expect(200);
      const ready = await request(base)
        .get('/readyz')
        .set('x-correlation-id', 'entrypoint-check')
        .expect(200);
      expect(Object.keys(ready.body.checks).sort()).toEqual(['kafka', 'postgres']);
      const listening = service
        .output()
        .stdout.split('\n')
        .filter((line) => line.includes('listening on'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(listening[0]).toMatchObject({ level: 'info', service: 'inbox', context: 'Bootstrap' });
    } finally {
      service.child.kill('SIGTERM');
    }
    const result = await service.exited;
    expect(result.code === 0 || result.signal === 'SIGTERM').toBe(true);
    expect(result.stderr).toBe('');
  }, 90_000);
});
