import { NonRetryableError } from '../../bus/bus.port';
import { withBusContext } from '../../bus/bus-context';
import { ReplyTokenSigner } from '../../crypto/reply-token-signer';
import { SecretBox } from '../../crypto/secret-box';
import { decodeEvent, encodeEvent, InvalidEventError, isTombstone } from '../codec';
import { newEvent } from '../envelope';
import {
  contractFixtures,
  decodedFixture,
  FIXTURE_SECRETS_KEY,
  loadContractFixture,
} from '../fixtures/contract-fixtures';
import { EVENT_TYPES, eventRegistry } from '../registry';
import { Topics } from '../topics';

function invalid(fn: () => unknown): InvalidEventError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected an InvalidEventError');
}

const fixtures = contractFixtures();

describe('contract registry and golden fixtures', () => {
  it('has at least one fixture for every registered event type, and no fixture of an unknown type', () => {
    const fixtureTypes = new Set(fixtures.map((fixture) => fixture.event.type));
    expect(EVENT_TYPES.filter((type) => !fixtureTypes.has(type))).toEqual([]);
    expect([...fixtureTypes].filter((type) => !(EVENT_TYPES as string[]).includes(type))).toEqual([]);
    for (const fixture of fixtures) expect(fixture.name.startsWith(fixture.event.type)).toBe(true);
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    '%s validates against its schema',
    (_name, fixture) => {
      const decoded = decodeEvent({ value: JSON.stringify(fixture.event) });
      expect(decoded.type).toBe(fixture.event.type);
      expect(decoded.id).toBe(fixture.event.id);
    },
  );

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    '%s round-trips through encode → decode',
    (_name, fixture) => {
      const encoded = encodeEvent(fixture.event);
      expect(encoded.headers).toMatchObject({
        ce_type: fixture.event.type,
        ce_id: fixture.event.id,
        'content-type': 'application/cloudevents+json; charset=utf-8',
      });
      const decoded = decodeEvent({ value: Buffer.from(encoded.value), headers: encoded.headers }, [
        fixture.event.type as never,
      ]);
      expect(decoded).toEqual(decodeEvent({ value: JSON.stringify(fixture.event) }));
    },
  );

  it('names the topic and key of each event as DESIGN.md says', () => {
    const route = (name: string) => {
      const { topic, key } = encodeEvent(loadContractFixture(name));
      return { topic, key };
    };
    expect(route('switchboard.inbound.message.v1.telegram')).toEqual({
      topic: Topics.inbound,
      key: '0192f1a0-5b3c-7d2e-8f41-6a7b8c9d0e22:521774093',
    });
    expect(route('switchboard.outbound.message.v1')).toEqual({
      topic: 'channel.email.outbound.v1',
      key: '0193a2b4-1c5d-7e6f-9a01-b2c3d4e5f601',
    });
    expect(route('switchboard.delivery.receipt.v1.failed').topic).toBe(Topics.delivery);
    expect(route('switchboard.channel.status.v1')).toEqual({
      topic: Topics.delivery,
      key: '0192f1a0-5b3c-7d2e-8f41-6a7b8c9d0e11',
    });
    expect(route('switchboard.channel.config.v1')).toEqual({
      topic: Topics.channels,
      key: '0192f1a0-5b3c-7d2e-8f41-6a7b8c9d0e22',
    });
    expect(route('switchboard.connector.offset.v1.imap')).toEqual({
      topic: Topics.connectorOffsets,
      key: 'email:0192f1a0-5b3c-7d2e-8f41-6a7b8c9d0e11',
    });
    expect(route('switchboard.message.created.v1')).toEqual({
      topic: Topics.events,
      key: '0193a2b4-1c5d-7e6f-9a01-b2c3d4e5f601',
    });
    expect(route('switchboard.notification.v1').topic).toBe(Topics.events);
  });

  it('the email fixture is realistic: its reply token verifies and its attachment is a blob reference', () => {
    const event = decodedFixture('switchboard.inbound.message.v1.email', 'switchboard.inbound.message.v1');
    const signer = new ReplyTokenSigner(Buffer.from(FIXTURE_SECRETS_KEY, 'base64'));
    expect(signer.verify(event.data.replyToken ?? '')).toBe('0193a2b4-1c5d-7e6f-9a01-b2c3d4e5f601');
    expect(event.data.text).toContain('Здравствуйте');
    expect(event.data.references).toHaveLength(2);
    expect(event.data.attachments[0]).toMatchObject({
      contentType: 'image/jpeg',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('the channel config fixture carries a secret that opens with the fixture key, never the plain token', () => {
    const event = decodedFixture('switchboard.channel.config.v1', 'switchboard.channel.config.v1');
    const box = SecretBox.fromBase64(FIXTURE_SECRETS_KEY);
    expect(box.decrypt(event.data.secrets.botToken, `${event.data.inboxId}:botToken`)).toMatch(
      /^\d+:[\w-]{35}$/,
    );
    expect(JSON.stringify(event)).not.toContain('AAHfiqks');
  });
});

describe('decodeEvent rejects what does not fit, naming why', () => {
  it('names a missing required data field', () => {
    const event = loadContractFixture('switchboard.inbound.message.v1.telegram') as {
      data: { sender: Record<string, unknown> };
    };
    delete event.data.sender.externalId;
    const error = invalid(() => decodeEvent({ value: JSON.stringify(event) }));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.field).toBe('data.sender.externalId');
    expect(error.message).toBe('invalid switchboard.inbound.message.v1: data.sender.externalId is required');
  });

  it('names a malformed data field', () => {
    const event = loadContractFixture('switchboard.delivery.receipt.v1.sent') as {
      data: Record<string, unknown>;
    };
    event.data.messageId = 'not-a-uuid';
    const error = invalid(() => decodeEvent({ value: JSON.stringify(event) }));
    expect(error.field).toBe('data.messageId');
    expect(error.message).toContain('data.messageId: Invalid uuid');
  });

  it('rejects an unknown type, and a known type that is not allowed here', () => {
    const event = loadContractFixture('switchboard.notification.v1');
    expect(
      invalid(() =>
        decodeEvent({ value: JSON.stringify({ ...event, type: 'switchboard.unknown.thing.v1' }) }),
      ).message,
    ).toBe('unknown event type switchboard.unknown.thing.v1');
    expect(
      invalid(() => decodeEvent({ value: JSON.stringify(event) }, ['switchboard.inbound.message.v1']))
        .message,
    ).toBe(
      'event type switchboard.notification.v1 is not accepted here (expected switchboard.inbound.message.v1)',
    );
  });

  it('rejects a broken envelope, non-JSON, a tombstone and a mismatching ce_type header', () => {
    const event = loadContractFixture('switchboard.notification.v1') as unknown as Record<string, unknown>;
    delete event.time;
    expect(invalid(() => decodeEvent({ value: JSON.stringify(event) })).message).toBe(
      'not a valid CloudEvent: time is required',
    );
    expect(invalid(() => decodeEvent({ value: Buffer.from('{"specversion":') })).message).toMatch(
      /^value is not JSON/,
    );
    expect(isTombstone({ value: Buffer.alloc(0) })).toBe(true);
    expect(invalid(() => decodeEvent({ value: Buffer.alloc(0) })).message).toMatch(/tombstone/);
    const valid = JSON.stringify(loadContractFixture('switchboard.notification.v1'));
    expect(
      invalid(() => decodeEvent({ value: valid, headers: { ce_type: 'switchboard.message.created.v1' } }))
        .message,
    ).toMatch(/does not match/);
  });

  it('types the data by the allowed types', () => {
    const decoded = decodeEvent(
      { value: JSON.stringify(loadContractFixture('switchboard.inbound.message.v1.webchat')) },
      ['switchboard.inbound.message.v1', 'switchboard.inbound.message_edited.v1'],
    );
    if (decoded.type === 'switchboard.inbound.message.v1') {
      expect(decoded.data.autoReply).toBe(false);
      expect(decoded.data.sender.externalId).toMatch(/^visitor:/);
    } else {
      throw new Error(`unexpected ${decoded.type}`);
    }
  });
});

describe('encodeEvent', () => {
  const data = {
    operatorId: '0191c0de-7a11-7b22-9c33-d44e55f66a77',
    kind: 'assignment',
    conversationId: '0193a2b4-1c5d-7e6f-9a01-b2c3d4e5f601',
    text: 'assigned to you',
  };

  it('refuses an event whose data does not fit, before anything is published', () => {
    const error = invalid(() =>
      encodeEvent(newEvent('switchboard.notification.v1', '/inbox', { ...data, kind: 'hug' })),
    );
    expect(error.field).toBe('data.kind');
  });

  it('refuses an unregistered type', () => {
    expect(() => encodeEvent(newEvent('switchboard.nothing.v1', '/inbox', {}))).toThrow(
      'unknown event type switchboard.nothing.v1',
    );
  });

  it('takes correlation id and traceparent from the current bus context into headers and envelope', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const encoded = withBusContext({ correlationId: 'req-42', traceparent }, () =>
      encodeEvent(newEvent('switchboard.notification.v1', '/inbox', data)),
    );
    expect(encoded.headers).toMatchObject({ 'x-correlation-id': 'req-42', traceparent });
    expect(JSON.parse(encoded.value)).toMatchObject({ correlationid: 'req-42', traceparent });
    const own = encodeEvent(
      newEvent('switchboard.notification.v1', '/inbox', data, { correlationId: 'own' }),
    );
    expect(own.headers['x-correlation-id']).toBe('own');
  });

  it('has a registry entry with a schema for every type constant', () => {
    for (const type of EVENT_TYPES) expect(eventRegistry[type].schema).toBeDefined();
    expect(EVENT_TYPES).toHaveLength(13);
  });
});
