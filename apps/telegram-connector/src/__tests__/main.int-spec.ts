import { runEntrypoint } from '@switchboard/testing';

describe('telegram-connector entrypoint', () => {
  it('exits with 1 and names the variable when the environment is incomplete', async () => {
    const result = await runEntrypoint('apps/telegram-connector/src/main.ts', {
      PORT: '0',
      LOG_LEVEL: 'loud',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[telegram-connector] Invalid environment: LOG_LEVEL must be one of');
    expect(result.stderr).toContain('KAFKA_BROKERS is required');
  }, 60_000);
});
