import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';

/** One message the sink accepted. */
export interface SinkMessage {
  envelope: { from: string | null; to: string[] };
  /** the authenticated user, if the client logged in */
  user: string | null;
  raw: Buffer;
  parsed: ParsedMail;
  /** a header's raw value (first occurrence, unfolded), or undefined */
  header(name: string): string | undefined;
}

/** How the sink answers the next messages (SMTP reply code + text). */
export interface SinkRejection {
  code: number;
  message: string;
  /** reject at RCPT TO (default) or after DATA */
  stage?: 'rcpt' | 'data';
  /** how many messages to reject (default: until cleared) */
  times?: number;
}

export interface SmtpSinkOptions {
  /** accepted logins (user → password); without it any login is accepted */
  users?: Record<string, string>;
}

type Waiter = { count: number; resolve: () => void };

/**
 * A local SMTP server (smtp-server) for outbound-mail tests: records what it accepts, can be told to
 * reject with 4xx / 5xx, and checks AUTH PLAIN/LOGIN without TLS on 127.0.0.1.
 */
export class SmtpSink {
  readonly host = '127.0.0.1';
  readonly messages: SinkMessage[] = [];
  private rejection: (SinkRejection & { left: number }) | null = null;
  private waiters: Waiter[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    private readonly options: SmtpSinkOptions,
  ) {}

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const ref: { sink?: SmtpSink } = {};
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      size: 50 * 1024 * 1024,
      onAuth: (auth, _session, callback) => ref.sink?.onAuth(auth, callback),
      onRcptTo: (_address, _session, callback) => ref.sink?.onRcptTo(callback),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (error) => callback(error));
        stream.on('end', () => {
          void ref.sink?.onData(Buffer.concat(chunks), session).then(
            () => callback(),
            (error: Error) => callback(error),
          );
        });
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    server.on('error', () => undefined);
    ref.sink = new SmtpSink(server, port, options);
    return ref.sink;
  }

  /** answer the next messages with this code (4xx temporary, 5xx permanent) */
  reject(rejection: SinkRejection): void {
    this.rejection = { ...rejection, left: rejection.times ?? Number.POSITIVE_INFINITY };
  }

  accept(): void {
    this.rejection = null;
  }

  /** resolves once at least `count` messages were accepted */
  waitFor(count: number, timeoutMs = 30_000): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`smtp sink: ${this.messages.length} of ${count} messages after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onAuth(auth: SMTPServerAuthentication, callback: (error: Error | null | undefined, response?: { user?: unknown }) => void): void {
    const users = this.options.users;
    if (!users || (auth.username !== undefined && users[auth.username] === auth.password)) {
      callback(null, { user: auth.username });
      return;
    }
    callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
  }

  private onRcptTo(callback: (error?: Error | null) => void): void {
    const rejection = this.takeRejection('rcpt');
    callback(rejection);
  }

  private async onData(raw: Buffer, session: SMTPServerSession): Promise<void> {
    const rejection = this.takeRejection('data');
    if (rejection) throw rejection;
    const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true });
    const from = session.envelope.mailFrom;
    this.messages.push({
      envelope: { from: from ? from.address : null, to: session.envelope.rcptTo.map((r) => r.address) },
      user: typeof session.user === 'string' ? session.user : null,
      raw,
      parsed,
      header: (name) => headerOf(raw, name),
    });
    const count = this.messages.length;
    this.waiters = this.waiters.filter((waiter) => {
      if (count < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  private takeRejection(stage: 'rcpt' | 'data'): Error | null {
    const rejection = this.rejection;
    if (!rejection || (rejection.stage ?? 'rcpt') !== stage || rejection.left <= 0) return null;
    rejection.left -= 1;
    if (rejection.left <= 0) this.rejection = null;
    return Object.assign(new Error(rejection.message), { responseCode: rejection.code });
  }
}

/** the first occurrence of a header in a raw message, unfolded */
function headerOf(raw: Buffer, name: string): string | undefined {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return undefined;
}
