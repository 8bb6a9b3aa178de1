import { z } from 'zod';
import { ConfigError } from '../config-error';
import {
  base64KeyField,
  booleanField,
  brokersField,
  databaseUrlField,
  emailField,
  intField,
  logLevelField,
  portField,
  secretField,
  urlField,
} from '../env-fields';
import { databaseEnv, httpEnv, kafkaEnv, secretsKeyEnv } from '../env-schemas';
import { loadConfig } from '../load-config';

const KEY = Buffer.alloc(32, 7).toString('base64');

const schema = z.object({ ...httpEnv(3001), ...kafkaEnv(), ...databaseEnv(), ...secretsKeyEnv() });

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  const valid = {
    KAFKA_BROKERS: '127.0.0.1:9092, kafka:19092',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/switchboard',
    SECRETS_KEY: KEY,
  };

  it('parses a valid environment into typed values with defaults', () => {
    const sut = loadConfig(schema, valid);
    expect(sut).toEqual({
      PORT: 3001,
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: ['127.0.0.1:9092', 'kafka:19092'],
      KAFKA_TOPIC_PREFIX: undefined,
      KAFKA_PARTITIONS: 6,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/switchboard',
      SECRETS_KEY: Buffer.alloc(32, 7),
    });
  });

  it('names every missing and malformed variable in one message', () => {
    const error = errorOf(() =>
      loadConfig(schema, { DATABASE_URL: 'mysql://x', SECRETS_KEY: 'c2hvcnQ=', PORT: '70000' }),
    );
    expect(error.message).toBe(
      'Invalid environment: PORT must be a port number (0-65535); KAFKA_BROKERS is required; ' +
        'DATABASE_URL must be a URL (postgres or postgresql); SECRETS_KEY must be 32 bytes base64',
    );
    expect(error.issues.map((issue) => issue.variable)).toEqual([
      'PORT',
      'KAFKA_BROKERS',
      'DATABASE_URL',
      'SECRETS_KEY',
    ]);
  });

  it('treats an empty value as missing', () => {
    const error = errorOf(() => loadConfig(schema, { ...valid, KAFKA_BROKERS: '  ' }));
    expect(error.message).toBe('Invalid environment: KAFKA_BROKERS is required');
  });

  it('reads process.env by default', () => {
    const name = 'SWITCHBOARD_CONFIG_SPEC_VALUE';
    process.env[name] = 'from-process';
    try {
      expect(loadConfig(z.object({ [name]: z.string() }))).toEqual({ [name]: 'from-process' });
    } finally {
      delete process.env[name];
    }
  });

  it('prefixes messages that do not read as a predicate with a colon', () => {
    const error = errorOf(() =>
      loadConfig(z.object({ NAME: z.string().regex(/^x/, 'Must start with x') }), { NAME: 'y' }),
    );
    expect(error.message).toBe('Invalid environment: NAME: Must start with x');
  });
});

describe('env fields', () => {
  const one = <S extends z.ZodTypeAny>(field: S, value: string | undefined) =>
    loadConfig(z.object({ V: field }), { V: value }).V;
  const problem = (field: z.ZodTypeAny, value: string | undefined) =>
    errorOf(() => one(field, value)).issues[0].problem;

  it('brokers: list of host:port', () => {
    expect(one(brokersField(), 'a:1,b:2')).toEqual(['a:1', 'b:2']);
    expect(one(brokersField('127.0.0.1:9092'), undefined)).toEqual(['127.0.0.1:9092']);
    expect(problem(brokersField(), 'kafka')).toBe('must be a comma-separated list of host:port');
    expect(problem(brokersField(), 'a:1,b:0')).toBe('must be a comma-separated list of host:port');
  });

  it('url: protocol limited', () => {
    expect(one(urlField({ protocols: ['https:'] }), 'https://example.org/x')).toBe('https://example.org/x');
    expect(problem(urlField({ protocols: ['http:', 'https:'] }), 'ftp://x')).toBe(
      'must be a URL (http or https)',
    );
    expect(problem(urlField(), 'not a url')).toBe('must be a URL');
    expect(one(databaseUrlField(), 'postgresql://u:p@h/db')).toBe('postgresql://u:p@h/db');
  });

  it('port and int', () => {
    expect(one(portField(), '0')).toBe(0);
    expect(one(portField(3000), undefined)).toBe(3000);
    expect(problem(portField(), 'http')).toBe('must be a port number (0-65535)');
    expect(one(intField({ min: 1, max: 10 }), '10')).toBe(10);
    expect(problem(intField({ min: 1, max: 10 }), '11')).toBe('must be an integer between 1 and 10');
    expect(problem(intField({ min: 1 }), '1.5')).toBe('must be an integer >= 1');
  });

  it('32-byte base64 key, standard or url-safe', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    expect(one(base64KeyField(), bytes.toString('base64'))).toEqual(bytes);
    expect(one(base64KeyField(), bytes.toString('base64url'))).toEqual(bytes);
    expect(problem(base64KeyField(), Buffer.alloc(16).toString('base64'))).toBe('must be 32 bytes base64');
    expect(problem(base64KeyField(), `${bytes.toString('base64').slice(0, 40)}!!!=`)).toBe(
      'must be 32 bytes base64',
    );
  });

  it('log level, boolean, email, secret', () => {
    expect(one(logLevelField(), undefined)).toBe('info');
    expect(one(logLevelField(), 'debug')).toBe('debug');
    expect(problem(logLevelField(), 'verbose')).toBe(
      'must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(one(booleanField(false), undefined)).toBe(false);
    expect(one(booleanField(), 'YES')).toBe(true);
    expect(problem(booleanField(), 'maybe')).toBe('must be true or false');
    expect(problem(emailField(), 'admin')).toBe('must be an email address');
    expect(problem(secretField(16), 'short')).toBe('must be at least 16 characters');
    expect(problem(secretField(16), undefined)).toBe('is required');
  });
});
