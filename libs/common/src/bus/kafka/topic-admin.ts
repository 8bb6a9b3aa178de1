import type { Admin, ITopicConfig } from 'kafkajs';

/** errors a freshly created topic answers with until every broker's metadata cache knows it */
const NOT_YET_VISIBLE = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

function errorType(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'type' in err ? String((err as { type: unknown }).type) : undefined;
}

function alreadyExists(err: unknown): boolean {
  if (errorType(err) === 'TOPIC_ALREADY_EXISTS') return true;
  const errors = (err as { errors?: unknown[] } | undefined)?.errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => errorType(e) === 'TOPIC_ALREADY_EXISTS');
}

export interface CreateTopicsOptions {
  /** how long to wait for every partition to have a leader (default 30000 ms) */
  timeoutMs?: number;
}

/**
 * Creates the topics that do not exist yet and waits until every partition of each has a leader.
 *
 * kafkajs' own `waitForLeaders` gives up when the controller has created a topic but the broker that answers
 * the metadata request does not know it yet (UNKNOWN_TOPIC_OR_PARTITION), and treats a topic created by a
 * concurrent process as a failure of the whole request; both happen when several services start together.
 */
export async function createTopicsAndWait(admin: Admin, topics: ITopicConfig[], options: CreateTopicsOptions = {}): Promise<void> {
  if (!topics.length) return;
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    await admin.createTopics({ topics, waitForLeaders: false, timeout: timeoutMs });
  } catch (err) {
    if (!alreadyExists(err)) throw err;
  }
  await waitForLeaders(
    admin,
    topics.map((t) => t.topic),
    timeoutMs,
  );
}

async function waitForLeaders(admin: Admin, names: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delayMs = 50;
  for (;;) {
    let lastProblem: string;
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const leaderless = topics.filter((t) => !t.partitions.length || t.partitions.some((p) => p.leader < 0)).map((t) => t.name);
      if (!leaderless.length) return;
      lastProblem = `no leader yet for ${leaderless.join(', ')}`;
    } catch (err) {
      if (!NOT_YET_VISIBLE.has(errorType(err) ?? '')) throw err;
      lastProblem = (err as Error).message;
    }
    if (Date.now() >= deadline) throw new Error(`Kafka topics ${names.join(', ')} not ready after ${timeoutMs} ms: ${lastProblem}`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 500);
  }
}
