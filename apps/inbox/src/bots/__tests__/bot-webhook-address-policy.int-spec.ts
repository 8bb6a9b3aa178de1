import request from 'supertest';
import { startInboxHarness, type InboxHarness } from '../../__tests__/support/inbox-harness';
import { ADMIN_HEADERS as admin } from './support/bot-test-kit';

describe('bot webhook addresses, as deployed (private networks not allowed; real Postgres + Kafka)', () => {
  let harness: InboxHarness;
  beforeAll(async () => {
    harness = await startInboxHarness({ env: { BOT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' } });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  it.each([
    ['http://127.0.0.1:8080/hook', 'public address'],
    ['http://localhost:4000/webhook', 'public address'],
    ['http://bot.localhost/webhook', 'public address'],
    ['http://169.254.169.254/latest/meta-data', 'public address'],
    ['http://10.0.0.7/hook', 'public address'],
    ['http://[::1]:4000/hook', 'public address'],
    ['http://[::ffff:192.168.0.1]/hook', 'public address'],
    ['ftp://bot.example.com/hook', 'http or https'],
  ])('refuses a bot whose webhook is %s (400 naming webhookUrl)', async (webhookUrl, why) => {
    const response = await request(harness.url).post('/internal/v1/bots').set(admin).send({ name: 'Nosy bot', webhookUrl }).expect(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(response.body.error)).toContain('webhookUrl');
    expect(JSON.stringify(response.body.error)).toContain(why);
  });

  it('accepts a public https webhook, and no webhook at all', async () => {
    const withHook = await request(harness.url).post('/internal/v1/bots').set(admin).send({ name: 'Public bot', webhookUrl: 'https://bot.example.com/webhook' }).expect(201);
    expect(withHook.body.webhookUrl).toBe('https://bot.example.com/webhook');
    await request(harness.url).post('/internal/v1/bots').set(admin).send({ name: 'Polling bot' }).expect(201);
  });
});
