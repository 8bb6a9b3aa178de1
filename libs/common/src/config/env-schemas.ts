import {
  base64KeyField,
  brokersField,
  databaseUrlField,
  intField,
  logLevelField,
  optionalStringField,
  portField,
} from './env-fields';

/**
 * Shape fragments shared by the services' config schemas (spread them into z.object):
 *
 *   const emailConnectorEnv = z.object({ ...httpEnv(3002), ...kafkaEnv() });
 */

/** PORT (default per service) and LOG_LEVEL (default info). */
export function httpEnv(defaultPort: number) {
  return { PORT: portField(defaultPort), LOG_LEVEL: logLevelField() };
}

/** KAFKA_BROKERS (required), KAFKA_TOPIC_PREFIX (optional), KAFKA_PARTITIONS (default 6). */
export function kafkaEnv() {
  return {
    KAFKA_BROKERS: brokersField(),
    KAFKA_TOPIC_PREFIX: optionalStringField(),
    KAFKA_PARTITIONS: intField({ min: 1, max: 1000, default: 6 }),
  };
}

/** DATABASE_URL (required). */
export function databaseEnv() {
  return { DATABASE_URL: databaseUrlField() };
}

/** SECRETS_KEY: 32 bytes base64, the AES-256-GCM key for channel secrets. */
export function secretsKeyEnv() {
  return { SECRETS_KEY: base64KeyField(32) };
}
