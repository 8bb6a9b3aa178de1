import request from 'supertest';
import { INTERNAL_TOKEN, startInboxHarness, type InboxHarness } from '../../__tests__/support/inbox-harness';

/**
 * Failed logins are counted in Postgres, so the limits hold across every gateway (and inbox) instance:
 * here two inbox instances on one database take the attempts, as two gateways' calls would arrive.
 */
describe('login limits shared by all instances (real Postgres)', () => {
  let harness: InboxHarness;

  beforeAll(async () => {
    harness = await startInboxHarness({
      instances: 2,
      env: { ADMIN_EMAIL: 'admin@limits.test', ADMIN_PASSWORD: 'the-right-password', ROUTING_SWEEP_MS: '0', LOGIN_MAX_ATTEMPTS: '3', LOGIN_WINDOW_SECONDS: '4' },
    });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  const login = (instance: number, ip: string, email: string, password: string) =>
    request(harness.instances[instance].url).post('/internal/v1/auth/login').set({ Authorization: `Bearer ${INTERNAL_TOKEN}` }).send({ email, password, ip });

  it('refuses an address and email after LOGIN_MAX_ATTEMPTS failures made through any instance, even with the right password, until the window passes', async () => {
    await login(0, '203.0.113.7', 'admin@limits.test', 'guess-1').expect(401);
    await login(1, '203.0.113.7', 'Admin@Limits.test', 'guess-2').expect(401);
    await login(0, '203.0.113.7', 'admin@limits.test', 'guess-3').expect(401);

    const refused = await login(1, '203.0.113.7', 'admin@limits.test', 'the-right-password').expect(429);
    expect(refused.body.error.code).toBe('LOGIN_RATE_LIMITED');
    expect(refused.body.error.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.body.error.details.retryAfterSeconds).toBeLessThanOrEqual(4);
    expect(refused.headers['retry-after']).toBe(String(refused.body.error.details.retryAfterSeconds));

    // another address is not held back by these failures
    await login(0, '198.51.100.20', 'admin@limits.test', 'the-right-password').expect(200);

    await new Promise((resolve) => setTimeout(resolve, (refused.body.error.details.retryAfterSeconds as number) * 1000 + 200));
    await login(1, '203.0.113.7', 'admin@limits.test', 'the-right-password').expect(200);
  });

  it('refuses an address trying many emails after five times the limit, whichever emails', async () => {
    for (let index = 0; index < 15; index += 1) {
      await login(index % 2, '192.0.2.99', `someone-${index}@limits.test`, 'guess').expect(401);
    }
    const refused = await login(0, '192.0.2.99', 'admin@limits.test', 'the-right-password').expect(429);
    expect(refused.body.error.code).toBe('LOGIN_RATE_LIMITED');
  });
});
