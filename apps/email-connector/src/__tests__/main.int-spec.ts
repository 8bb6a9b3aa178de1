import { runEntrypoint } from '@switchboard/testing';

describe('email-connector entrypoint', () => {
  it('exits with 1 and names the variable when the environment is incomplete', async () => {
    const result = await runEntrypoint('apps/email-connector/src/main.ts', { PORT: '0', LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[email-connector] Invalid environment: LOG_LEVEL must be one of');
    expect(result.stderr).toContain('KAFKA_BROKERS is required');
  }, 60_000);
});
