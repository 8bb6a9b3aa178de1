import { Kafka, logLevel } from 'kafkajs';

/** the `<name>-<base36 ms>-<8 hex>` part uniqueName() puts in every test's topic prefix */
const STAMPED = /(?:^|[-_.])([0-9a-z]{8,9})[-_]([0-9a-f]{8})(?=[._-]|$)/;

/** when uniqueName() made the name the topic starts with, or undefined for other topics */
export function testTopicStamp(topic: string): number | undefined {
  const match = STAMPED.exec(topic);
  if (!match) return undefined;
  const stamp = parseInt(match[1], 36);
  // a plausible time (2020–2100): not some other word that happens to look like base 36
  return stamp > Date.UTC(2020, 0, 1) && stamp < Date.UTC(2100, 0, 1) ? stamp : undefined;
}

/**
 * Deletes the topics earlier test runs left behind (named by uniqueName(), older than `olderThanMs`).
 * Every run creates a few thousand partitions under fresh prefixes; on a long-lived broker they pile up
 * until it runs out of file handles.
 */
export async function deleteStaleTestTopics(brokers: string[], olderThanMs = 3 * 3600_000): Promise<string[]> {
  const admin = new Kafka({ clientId: 'test-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const cutoff = Date.now() - olderThanMs;
    const stale = (await admin.listTopics()).filter((topic) => {
      const stamp = testTopicStamp(topic);
      return stamp !== undefined && stamp < cutoff;
    });
    for (let index = 0; index < stale.length; index += 200) {
      await admin.deleteTopics({ topics: stale.slice(index, index + 200), timeout: 60_000 });
    }
    return stale;
  } finally {
    await admin.disconnect();
  }
}
