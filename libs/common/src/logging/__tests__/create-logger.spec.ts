import { createLogger } from '../create-logger';
import { withBusContext } from '../../bus/bus-context';
import { redactDeep, REDACTED } from '../redact';
import { LogCapture } from './log-capture';

describe(createLogger.name, () => {
  it('writes JSON with the service, level label and ISO time', () => {
    const capture = new LogCapture();
    const sut = createLogger({ service: 'inbox', destination: capture });
    sut.info({ context: 'ConversationService' }, 'hello');
    expect(capture.lines[0]).toMatchObject({
      service: 'inbox',
      level: 'info',
      context: 'ConversationService',
      msg: 'hello',
    });
    expect(String(capture.lines[0].time)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('masks secrets at any depth, in log objects and child bindings', () => {
    const capture = new LogCapture();
    const sut = createLogger({ service: 'gateway', destination: capture });
    const child = sut.child({ botToken: '123:ABC', inboxId: 'i-1' });
    child.info(
      {
        operator: { email: 'a@b.c', password: 'hunter2' },
        config: {
          imap: { host: 'imap.example.org', password: 'imap-pass' },
          secrets: { botToken: { v: 1, iv: 'x', tag: 'y', data: 'z' } },
          identitySecret: 'ids',
        },
        headers: { Authorization: 'Bearer abc', cookie: 'sid=1' },
        accessToken: 'jwt',
        webhookSecret: 'whs',
        list: [{ token: 't' }],
      },
      'saved',
    );
    const line = capture.lines[0];
    const serialized = JSON.stringify(line);
    for (const secret of [
      '123:ABC',
      'hunter2',
      'imap-pass',
      'ids',
      'Bearer abc',
      'sid=1',
      'jwt',
      'whs',
      '"t"',
    ]) {
      expect(serialized).not.toContain(secret);
    }
    expect(line).toMatchObject({
      inboxId: 'i-1',
      botToken: REDACTED,
      operator: { email: 'a@b.c', password: REDACTED },
      config: { imap: { host: 'imap.example.org', password: REDACTED }, secrets: REDACTED },
      list: [{ token: REDACTED }],
    });
  });

  it('masks message bodies at info and shows them at debug', () => {
    const info = new LogCapture();
    createLogger({ service: 's', destination: info }).info({
      message: { text: 'Привет', html: '<p>hi</p>', subject: 'S' },
    });
    expect(info.lines[0]).toMatchObject({
      message: { text: '[REDACTED 6 chars]', html: '[REDACTED 9 chars]', subject: 'S' },
    });

    const debug = new LogCapture();
    createLogger({ service: 's', level: 'debug', destination: debug }).debug({
      message: { text: 'Привет', password: 'p' },
    });
    expect(debug.lines[0]).toMatchObject({ message: { text: 'Привет', password: REDACTED } });
  });

  it('adds the correlation id of the bus message being handled', async () => {
    const capture = new LogCapture();
    const sut = createLogger({ service: 's', destination: capture });
    await withBusContext({ correlationId: 'corr-1' }, async () => {
      await Promise.resolve();
      sut.info('inside');
    });
    sut.info('outside');
    expect(capture.lines[0]).toMatchObject({ msg: 'inside', correlationId: 'corr-1' });
    expect(capture.lines[1].correlationId).toBeUndefined();
  });

  it('does not repeat the correlation id of loggers bound to one', () => {
    const capture = new LogCapture();
    const sut = createLogger({ service: 's', destination: capture });
    withBusContext({ correlationId: 'ctx-id' }, () =>
      sut.child({ correlationId: 'bound-id' }).child({ x: 1 }).info('bound'),
    );
    const raw = JSON.stringify(capture.lines[0]);
    expect(capture.lines[0].correlationId).toBe('bound-id');
    expect(raw.match(/correlationId/g)).toHaveLength(1);
  });

  it('redactDeep copies instead of mutating and survives cycles', () => {
    const input: Record<string, unknown> = { password: 'p', nested: { ok: 1 } };
    input.self = input;
    const output = redactDeep(input, { maskBodies: true }) as Record<string, unknown>;
    expect(input.password).toBe('p');
    expect(output).toMatchObject({ password: REDACTED, nested: { ok: 1 }, self: '[Circular]' });
  });
});

describe('child loggers', () => {
  it('keep the bindings of every ancestor and mask secrets in each', () => {
    const capture = new LogCapture();
    const sut = createLogger({ service: 's', destination: capture });
    sut
      .child({ a: 1, password: 'p1' })
      .child({ b: 2, nested: { apiKey: 'k' } })
      .info('x');
    expect(capture.lines[0]).toMatchObject({ a: 1, b: 2, password: REDACTED, nested: { apiKey: REDACTED } });
  });
});
