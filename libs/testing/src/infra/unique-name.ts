import { randomBytes } from 'node:crypto';

/**
 * A name no other test (or test run) uses: `<prefix>-<time base36>-<random hex>`. Safe as a Kafka
 * topic prefix or consumer group id; with `_` as separator, as a Postgres identifier.
 */
export function uniqueName(prefix: string, separator: '-' | '_' = '-'): string {
  const cleaned = prefix
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part.length > 0)
    .join(separator);
  const stamp = Date.now().toString(36);
  const rand = randomBytes(4).toString('hex');
  return [cleaned || 'test', stamp, rand].join(separator);
}
