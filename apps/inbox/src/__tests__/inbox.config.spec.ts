import { ConfigError, loadConfig } from '@switchboard/common';
import { inboxConfigSchema } from '../inbox.config';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/switchboard',
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
  INTERNAL_API_TOKEN: 'an-internal-token-of-some-length',
};

describe('inbox config', () => {
  it('accepts a complete environment, PORT defaulting to 3001', () => {
    expect(loadConfig(inboxConfigSchema, valid)).toMatchObject({
      PORT: 3001,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      DATABASE_URL: valid.DATABASE_URL,
    });
  });

  it('names the missing variables', () => {
    expect(() => loadConfig(inboxConfigSchema, {})).toThrow(ConfigError);
    expect(() => loadConfig(inboxConfigSchema, {})).toThrow(
      'Invalid environment: KAFKA_BROKERS is required; DATABASE_URL is required; SECRETS_KEY is required; INTERNAL_API_TOKEN is required',
    );
  });

  it('names a malformed variable', () => {
    expect(() => loadConfig(inboxConfigSchema, { ...valid, KAFKA_BROKERS: 'kafka', PORT: 'eighty' })).toThrow(
      'Invalid environment: PORT must be a port number (0-65535); KAFKA_BROKERS must be a comma-separated list of host:port',
    );
  });
});
