import { createTransport } from 'nodemailer';
import type { EmailSettings } from './email-settings.schema';
import type { OutgoingEmail } from './outbound-email.mapper';

type PooledTransport = ReturnType<typeof createTransport>;

export interface SmtpCredentials {
  user: string;
  password: string | undefined;
}

/**
 * One pooled nodemailer SMTP transport per inbox (a few connections kept open and reused).
 * Throws nodemailer's errors as they are; EmailErrorClassifier maps them.
 */
export class SmtpMailSender {
  private readonly transport: PooledTransport;

  constructor(settings: EmailSettings['smtp'], credentials: SmtpCredentials, heloName: string) {
    this.transport = createTransport({
      pool: true,
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      ...(credentials.password !== undefined ? { auth: { user: credentials.user, pass: credentials.password } } : {}),
      name: heloName,
      maxConnections: 3,
      maxMessages: 100,
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      logger: false,
      debug: false,
    });
  }

  /** sends one message; resolves with the server's answer */
  async send(email: OutgoingEmail): Promise<{ response: string; accepted: string[] }> {
    const info = await this.transport.sendMail(email);
    const accepted = (info.accepted ?? []).map((entry: unknown) => (typeof entry === 'string' ? entry : String((entry as { address?: string }).address ?? entry)));
    return { response: String(info.response ?? ''), accepted };
  }

  close(): void {
    this.transport.close();
  }
}
