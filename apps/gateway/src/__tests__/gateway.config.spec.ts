import { ConfigError, loadConfig } from '@switchboard/common';
import { gatewayConfigSchema } from '../gateway.config';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_SECRET: 'a-jwt-secret-of-enough-length',
  INTERNAL_API_TOKEN: 'an-internal-token-of-enough-length',
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('gateway config', () => {
  it('accepts a complete environment, with defaults', () => {
    expect(loadConfig(gatewayConfigSchema, valid)).toMatchObject({
      PORT: 3000,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      LOG_LEVEL: 'info',
      INBOX_URL: 'http://127.0.0.1:3001',
      INBOX_API_PREFIX: '/internal/v1',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      TRUST_PROXY: false,
    });
  });

  it('names the missing variables', () => {
    expect(() => loadConfig(gatewayConfigSchema, {})).toThrow(ConfigError);
    expect(() => loadConfig(gatewayConfigSchema, {})).toThrow(
      'Invalid environment: KAFKA_BROKERS is required; JWT_SECRET is required; INTERNAL_API_TOKEN is required; SECRETS_KEY is required',
    );
  });

  it('names a malformed variable', () => {
    expect(() =>
      loadConfig(gatewayConfigSchema, {
        ...valid,
        KAFKA_BROKERS: 'kafka',
        PORT: 'eighty',
        JWT_SECRET: 'short',
      }),
    ).toThrow(
      'Invalid environment: PORT must be a port number (0-65535); KAFKA_BROKERS must be a comma-separated list of host:port; JWT_SECRET must be at least 16 characters',
    );
  });
});
