import { ConfigError, loadConfig } from '@switchboard/common';
import { telegramConnectorConfigSchema } from '../telegram-connector.config';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'),
};

describe('telegram-connector config', () => {
  it('accepts a complete environment, PORT defaulting to 3003', () => {
    expect(loadConfig(telegramConnectorConfigSchema, valid)).toMatchObject({
      PORT: 3003,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      LOG_LEVEL: 'info',
    });
  });

  it('defaults the Telegram settings: api.telegram.org, 30 s long polls, 20 MB attachments', () => {
    expect(loadConfig(telegramConnectorConfigSchema, valid)).toMatchObject({
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      TELEGRAM_POLL_TIMEOUT_SECONDS: 30,
      TELEGRAM_MAX_ATTACHMENT_BYTES: 20 * 1024 * 1024,
      BLOB_DIR: './data/blobs',
    });
  });

  it('names the missing variables', () => {
    expect(() => loadConfig(telegramConnectorConfigSchema, {})).toThrow(ConfigError);
    expect(() => loadConfig(telegramConnectorConfigSchema, {})).toThrow(
      'Invalid environment: KAFKA_BROKERS is required',
    );
  });

  it('names a malformed variable', () => {
    expect(() =>
      loadConfig(telegramConnectorConfigSchema, { ...valid, KAFKA_BROKERS: 'kafka', PORT: 'eighty' }),
    ).toThrow(
      'Invalid environment: PORT must be a port number (0-65535); KAFKA_BROKERS must be a comma-separated list of host:port',
    );
  });
});
