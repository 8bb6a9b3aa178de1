import { ConfigError, loadConfig } from '@switchboard/common';
import { emailConnectorConfigSchema } from '../email-connector.config';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'),
};

describe('email-connector config', () => {
  it('accepts a complete environment, PORT defaulting to 3002', () => {
    expect(loadConfig(emailConnectorConfigSchema, valid)).toMatchObject({
      PORT: 3002,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      LOG_LEVEL: 'info',
    });
  });

  it('defaults the email settings: 25 messages per batch, a 60 s safety poll, ./data/blobs', () => {
    expect(loadConfig(emailConnectorConfigSchema, valid)).toMatchObject({ EMAIL_BATCH_SIZE: 25, EMAIL_POLL_INTERVAL_SECONDS: 60, BLOB_DIR: './data/blobs' });
  });

  it('requires SECRETS_KEY (the channel passwords are encrypted)', () => {
    expect(() => loadConfig(emailConnectorConfigSchema, { KAFKA_BROKERS: '127.0.0.1:9092' })).toThrow(/SECRETS_KEY/);
  });

  it('names the missing variables', () => {
    expect(() => loadConfig(emailConnectorConfigSchema, {})).toThrow(ConfigError);
    expect(() => loadConfig(emailConnectorConfigSchema, {})).toThrow(
      'Invalid environment: KAFKA_BROKERS is required',
    );
  });

  it('names a malformed variable', () => {
    expect(() =>
      loadConfig(emailConnectorConfigSchema, { ...valid, KAFKA_BROKERS: 'kafka', PORT: 'eighty' }),
    ).toThrow(
      'Invalid environment: PORT must be a port number (0-65535); KAFKA_BROKERS must be a comma-separated list of host:port',
    );
  });
});
