import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { DomainError, ForbiddenError, NotFoundError } from '@switchboard/common/errors';
import type { Server, Socket } from 'socket.io';
import type { DefaultEventsMap } from 'socket.io/dist/typed-events';
import { z } from 'zod';
import { ClusterFanout } from '../realtime/cluster-fanout.service';
import type { FanoutOf } from '../realtime/cluster-fanout.schema';
import { ConversationThreads } from './conversation-threads.service';
import { VisitorTokenService } from './visitor-token.service';
import { WebchatInboxRegistry } from './webchat-inbox.registry';
import type { Visitor } from './webchat-payload';

interface VisitorSocketData {
  visitor: Visitor;
  lastTypingAt: number;
}
type VisitorSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, VisitorSocketData>;

const typingSchema = z.object({ state: z.enum(['typing', 'stopped']).default('typing') }).default({});
const TYPING_EVERY_MS = 2_000;

export const visitorRoom = (inboxId: string, threadId: string): string => `thread:${inboxId}:${threadId}`;

/**
 * Visitors' realtime: Socket.IO at /webchat/v1/socket (WebSocket transport), `auth: {visitorToken}`.
 * A socket joins exactly its own thread's room: it gets `message.created` (replies, and its own
 * messages from other tabs) and `typing` (an operator typing); it may send `typing`, which the
 * operators of the conversation see. The page's Origin must be one the inbox allows.
 */
@WebSocketGateway({
  path: '/webchat/v1/socket',
  serveClient: false,
  transports: ['websocket'],
  maxHttpBufferSize: 16 * 1024,
  pingInterval: 25_000,
  pingTimeout: 20_000,
})
export class VisitorSocketGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(VisitorSocketGateway.name);
  private server!: Server;

  constructor(
    private readonly tokens: VisitorTokenService,
    private readonly registry: WebchatInboxRegistry,
    private readonly threads: ConversationThreads,
    private readonly fanout: ClusterFanout,
  ) {
    this.fanout.on('visitor-message', (message) => this.onMessage(message));
    this.fanout.on('visitor-typing', (message) => this.onTyping(message));
  }

  afterInit(server: Server): void {
    this.server = server;
    server.use((socket, next) => {
      try {
        const auth = (socket.handshake.auth ?? {}) as { visitorToken?: unknown };
        const visitor = this.tokens.verify(
          typeof auth.visitorToken === 'string' ? auth.visitorToken : undefined,
        );
        const inbox = this.registry.byId(visitor.inboxId);
        if (!inbox) throw new NotFoundError('This chat is not available', { code: 'INBOX_NOT_FOUND' });
        if (!WebchatInboxRegistry.allows(inbox, socket.handshake.headers.origin))
          throw new ForbiddenError('This site may not use this chat', { code: 'ORIGIN_NOT_ALLOWED' });
        (socket as VisitorSocket).data = { visitor, lastTypingAt: 0 };
        next();
      } catch (error) {
        const refusal = new Error(error instanceof Error ? error.message : 'unauthorized') as Error & {
          data?: unknown;
        };
        refusal.data =
          error instanceof DomainError
            ? { code: error.code, status: error.status }
            : { code: 'UNAUTHORIZED', status: 401 };
        next(refusal);
      }
    });
  }

  handleConnection(socket: VisitorSocket): void {
    const { visitor } = socket.data;
    if (!visitor) return;
    void socket.join(visitorRoom(visitor.inboxId, visitor.threadId));
    socket.emit('ready', { conversationId: visitor.threadId });
  }

  @SubscribeMessage('typing')
  async onVisitorTyping(
    @ConnectedSocket() socket: VisitorSocket,
    @MessageBody() body: unknown,
  ): Promise<{ ok: true } | { error: { code: string } }> {
    const parsed = typingSchema.safeParse(body ?? {});
    if (!parsed.success) return { error: { code: 'VALIDATION_FAILED' } };
    const now = Date.now();
    if (parsed.data.state === 'typing' && now - socket.data.lastTypingAt < TYPING_EVERY_MS)
      return { ok: true };
    socket.data.lastTypingAt = now;
    const { visitor } = socket.data;
    const conversationId = await this.threads
      .conversationOf(visitor.inboxId, visitor.threadId)
      .catch(() => undefined);
    if (!conversationId) return { ok: true };
    await this.fanout
      .publish(
        { kind: 'contact-typing', conversationId, inboxId: visitor.inboxId, state: parsed.data.state },
        conversationId,
      )
      .catch((error: unknown) => this.logger.warn({ err: error }, 'visitor typing not shared'));
    return { ok: true };
  }

  private onMessage(message: FanoutOf<'visitor-message'>): void {
    this.server?.to(visitorRoom(message.inboxId, message.threadKey)).emit('message.created', message.message);
  }

  private onTyping(message: FanoutOf<'visitor-typing'>): void {
    this.server
      ?.to(visitorRoom(message.inboxId, message.threadKey))
      .emit('typing', { from: 'operator', state: message.state, name: message.name });
  }
}
