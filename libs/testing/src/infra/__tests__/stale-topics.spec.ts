import { testTopicStamp } from '../stale-topics';
import { uniqueName } from '../unique-name';

describe(testTopicStamp.name, () => {
  it('reads the time uniqueName() put in a topic prefix', () => {
    const before = Date.now();
    const prefix = uniqueName('inbox-test');
    expect(testTopicStamp(`${prefix}.inbox.inbound.v1`)).toBeGreaterThanOrEqual(before);
    expect(testTopicStamp(`${prefix}.inbox.inbound.v1`)).toBeLessThanOrEqual(Date.now());
    expect(testTopicStamp(`${uniqueName('bus contract')}.spec.plain`)).toBeGreaterThanOrEqual(before);
  });

  it('leaves topics that are not a test’s alone', () => {
    expect(testTopicStamp('inbox.inbound.v1')).toBeUndefined();
    expect(testTopicStamp('channel.telegram.outbound.v1')).toBeUndefined();
    expect(testTopicStamp('__consumer_offsets')).toBeUndefined();
    expect(testTopicStamp('prod-zzzzzzzzz-deadbeef.inbox.events.v1')).toBeUndefined();
  });
});
