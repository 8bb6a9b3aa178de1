const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Applies the bus's topicPrefix to topic names and consumer group ids, and takes it off again. */
export class TopicNaming {
  constructor(readonly prefix = '') {
    if (prefix && !LEGAL.test(prefix)) throw new Error(`invalid topic prefix ${JSON.stringify(prefix)}`);
  }

  topic(name: string): string {
    if (!LEGAL.test(name)) throw new Error(`invalid topic name ${JSON.stringify(name)}`);
    const full = this.prefix + name;
    if (full.length > 249) throw new Error(`topic name too long: ${full}`);
    return full;
  }

  group(groupId: string): string {
    if (!groupId) throw new Error('a consumer group id is required');
    return this.prefix + groupId;
  }

  /** the name a subscriber knows, from the broker's name */
  unprefixed(fullTopic: string): string {
    return this.prefix && fullTopic.startsWith(this.prefix) ? fullTopic.slice(this.prefix.length) : fullTopic;
  }
}
