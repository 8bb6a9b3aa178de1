import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '@switchboard/common';
import { waitFor } from '@switchboard/connector-sdk/testing';
import { kafkaBrokers, spawnEntrypoint, uniqueName } from '@switchboard/testing';
import { EmailHarness, mail, type TestInbox } from './support/email-harness';

jest.setTimeout(300_000);

const MAILS = 50;

function mails(inbox: TestInbox, tag: string): Array<{ recipient: string; raw: Buffer }> {
  return Array.from({ length: MAILS }, (_, n) => ({
    recipient: inbox.address,
    raw: mail({ from: `customer${n}@customer.test`, to: inbox.address, subject: `${tag} ${n}`, messageId: `<${tag}-${n}@customer.test>`, body: `mail number ${n}` }),
  }));
}

describe('EmailImapConnector stopped mid-stream', () => {
  let harness: EmailHarness;

  beforeAll(async () => {
    harness = await EmailHarness.create('email-restart');
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('stopped gracefully after ~20 of 50 mails and started again: every mail emitted exactly once', async () => {
    const first = await harness.startHost({ batchSize: 5 });
    const inbox = await harness.newInbox();
    await harness.publish(inbox.config);
    await harness.running(first, inbox);

    // the customers keep writing while the connector is down: half before the stop, half during it
    const all = mails(inbox, 'graceful');
    await harness.dovecot.deliverMany(all.slice(0, 25));
    await waitFor('about 20 mails emitted', () => harness.inbound(inbox).length >= 20, { timeoutMs: 120_000 });
    await first.stop();
    const emittedBeforeStop = harness.inbound(inbox).length;
    await harness.dovecot.deliverMany(all.slice(25));

    const second = await harness.startHost({ batchSize: 5 });
    await harness.running(second, inbox);
    await waitFor('all 50 mails', () => new Set(harness.inbound(inbox).map((m) => m.externalId)).size === MAILS, { timeoutMs: 120_000 });
    // a mail or two may still be under way: wait until the cursor has passed the last one
    await waitFor('the second host to finish the mailbox', () => harness.inbound(inbox).length >= MAILS, { timeoutMs: 60_000 });

    const ids = harness.inbound(inbox).map((m) => m.externalId);
    expect(emittedBeforeStop).toBeLessThan(MAILS);
    expect(new Set(ids).size).toBe(MAILS);
    expect(ids).toHaveLength(MAILS);
    // (each mail is its own thread, so its own partition key: Kafka orders per thread, not globally)
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: MAILS }, (_, n) => `<graceful-${n}@customer.test>`)));
  });

  it('killed with SIGKILL (the service process) mid-stream: nothing lost, duplicates only from the batches in flight', async () => {
    const key = Buffer.alloc(32, 7);
    const box = new SecretBox(key);
    const inbox = await harness.newInbox();
    const config = {
      ...inbox.config,
      secrets: Object.fromEntries(
        Object.entries({ 'imap.password': inbox.password, 'smtp.password': 'smtp-relay-Pa55-NEVER-LOG' }).map(([name, value]) => [name, box.encrypt(value)]),
      ),
    };
    const env = {
      PORT: '0',
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: harness.prefix,
      KAFKA_PARTITIONS: '3',
      SECRETS_KEY: key.toString('base64'),
      BLOB_DIR: join(tmpdir(), uniqueName('email-restart-blobs')),
      EMAIL_BATCH_SIZE: '5',
    };
    const service = spawnEntrypoint('apps/email-connector/src/main.ts', env);
    try {
      await harness.publish(config);
      const all = mails(inbox, 'killed');
      // 30 mails arrive, the process dies as soon as 20 are seen (often mid-batch), 20 more arrive while it is dead
      await harness.dovecot.deliverMany(all.slice(0, 30));
      await waitFor('about 20 mails emitted by the service process', () => harness.inbound(inbox).length >= 20, { timeoutMs: 180_000 });
      service.child.kill('SIGKILL');
      await service.exited;
      await harness.dovecot.deliverMany(all.slice(30));
    } finally {
      if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
    }
    const emittedBeforeKill = harness.inbound(inbox).length;

    const host = await harness.startHost({ batchSize: 5 }, { decrypt: (secret) => box.decrypt(secret) });
    await harness.running(host, inbox);
    await waitFor('all 50 mails after the restart', () => new Set(harness.inbound(inbox).map((m) => m.externalId)).size === MAILS, { timeoutMs: 120_000 });

    const ids = harness.inbound(inbox).map((m) => m.externalId);
    expect(emittedBeforeKill).toBeLessThan(MAILS);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: MAILS }, (_, n) => `<killed-${n}@customer.test>`)));
    // at-least-once: only what was emitted but not yet committed when the process died comes again
    // (at most two batches of 5: one whose commit was under way, one being emitted)
    expect(ids.length - MAILS).toBeLessThanOrEqual(10);
  });
});
