import { io, Socket } from 'socket.io-client';

/** A Socket.IO client that records what it receives, for assertions. */
export class RecordingSocket {
  readonly received: Array<{ event: string; args: unknown[] }> = [];
  private constructor(readonly socket: Socket) {
    socket.onAny((event: string, ...args: unknown[]) => this.received.push({ event, args }));
  }

  static async connect(
    url: string,
    path: string,
    auth: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<RecordingSocket> {
    const socket = io(url, {
      path,
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: headers,
    });
    const client = new RecordingSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return client;
  }

  /** the connect_error a refused handshake gives */
  static async refusal(
    url: string,
    path: string,
    auth: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<Error & { data?: { code?: string } }> {
    const socket = io(url, {
      path,
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: headers,
    });
    try {
      return await new Promise((resolve, reject) => {
        socket.once('connect', () => reject(new Error('the socket was accepted')));
        socket.once('connect_error', (error) => resolve(error as Error & { data?: { code?: string } }));
      });
    } finally {
      socket.close();
    }
  }

  of(event: string): unknown[][] {
    return this.received.filter((r) => r.event === event).map((r) => r.args);
  }

  async waitFor(
    event: string,
    predicate: (args: unknown[]) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<unknown[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((r) => r.event === event && predicate(r.args));
      if (found) return found.args;
      if (Date.now() > deadline)
        throw new Error(
          `no ${event} within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((r) => r.event))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  emitWithAck(event: string, body: unknown): Promise<unknown> {
    return this.socket.timeout(10_000).emitWithAck(event, body);
  }

  close(): void {
    this.socket.close();
  }
}

/** polls until the condition holds (or fails after timeoutMs) */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = 'the condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** waits until GET /readyz answers 200 (the consumers joined their groups) */
export async function untilReady(url: string, timeoutMs = 60_000): Promise<void> {
  await eventually(
    async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200,
    timeoutMs,
    `${url} to be ready`,
  );
}
