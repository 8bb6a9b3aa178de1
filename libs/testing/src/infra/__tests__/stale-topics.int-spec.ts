import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from '../infra-env';
import { deleteStaleTestTopics } from '../stale-topics';
import { uniqueName } from '../unique-name';

describe(deleteStaleTestTopics.name, () => {
  const admin = new Kafka({ clientId: 'stale-topics-spec', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();

  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('deletes topics of test runs hours ago and keeps this run’s and everything else', async () => {
    const hoursAgo = (Date.now() - 5 * 3600_000).toString(36);
    const stale = `old-run-${hoursAgo}-${randomBytes(4).toString('hex')}.inbox.inbound.v1`;
    const fresh = `${uniqueName('new-run')}.inbox.inbound.v1`;
    const product = `stale-spec-${randomBytes(4).toString('hex')}.inbox.events.v1`;
    await admin.createTopics({ topics: [stale, fresh, product].map((topic) => ({ topic, numPartitions: 1 })) });

    const deleted = await deleteStaleTestTopics(kafkaBrokers());

    expect(deleted).toContain(stale);
    const left = await admin.listTopics();
    expect(left).not.toContain(stale);
    expect(left).toEqual(expect.arrayContaining([fresh, product]));
    await admin.deleteTopics({ topics: [fresh, product] });
  });
});
