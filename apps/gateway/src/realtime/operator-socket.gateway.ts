import { Inject, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { APP_CONFIG } from '@switchboard/common';
import { DomainError } from '@switchboard/common/errors';
import type { Server, Socket } from 'socket.io';
import type { DefaultEventsMap } from 'socket.io/dist/typed-events';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { Authenticator } from '../auth/authenticator.service';
import { SessionRevocations } from '../auth/session-revocations.service';
import type { GatewayConfig } from '../gateway.config';
import { ActorScope, ActorScopeService } from './actor-scope.service';
import { ClusterFanout } from './cluster-fanout.service';
import type { FanoutOf } from './cluster-fanout.schema';
import { ConversationAccess } from './conversation-access.service';
import type { OperatorEvent } from './operator-event';
import { mayReceive, Rooms, roomsForAudience, roomsForScope } from './operator-rooms';
import { PresenceRegistry } from './presence.registry';
import { ReplayBuffer } from './replay-buffer';

interface OperatorSocketData {
  actor: Actor;
  scope: ActorScope;
  rooms: string[];
  conversations: Set<string>;
}

type OperatorSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, OperatorSocketData>;

const presenceSchema = z.object({
  conversationId: z.string().uuid(),
  state: z.enum(['viewing', 'typing', 'left']),
});

type Ack = { ok: true } | { error: { code: string; message: string } };

/**
 * Operators' realtime (API.md): Socket.IO at /ws with `auth: {token}` (an access token or a bot
 * token). Each socket joins the rooms of what it may see (admins and supervisors everything,
 * operators their inboxes and what is assigned to them, bots their inboxes without notes); its
 * scope is refreshed while it is connected. Events from inbox.events.v1 go to the rooms of their
 * audience; a socket that connects with `auth.lastEventId` gets what it missed from this
 * instance's replay buffer (or `resync` when that id is unknown here). Presence per conversation
 * reaches the other operators on it, on every instance.
 */
@WebSocketGateway({
  path: '/ws',
  serveClient: false,
  maxHttpBufferSize: 64 * 1024,
  pingInterval: 20_000,
  pingTimeout: 20_000,
})
export class OperatorSocketGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown
{
  private readonly logger = new Logger(OperatorSocketGateway.name);
  private server!: Server;
  private rescopeTimer: NodeJS.Timeout | undefined;
  readonly presence = new PresenceRegistry();

  constructor(
    private readonly authenticator: Authenticator,
    private readonly scopes: ActorScopeService,
    private readonly access: ConversationAccess,
    private readonly fanout: ClusterFanout,
    private readonly buffer: ReplayBuffer,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly revocations: SessionRevocations,
  ) {
    this.revocations.onRevoked((sessionId) => this.endSession(sessionId));
    this.fanout.on('presence', (message) => this.onPresence(message));
    this.fanout.on('contact-typing', (message) => this.onContactTyping(message));
  }

  afterInit(server: Server): void {
    this.server = server;
    server.use((socket, next) => {
      void this.authenticate(socket as OperatorSocket).then(
        () => next(),
        (error: unknown) => next(socketError(error)),
      );
    });
    this.rescopeTimer = setInterval(() => void this.rescopeAll(), Math.max(1000, this.config.SCOPE_CACHE_MS));
    this.rescopeTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.rescopeTimer);
  }

  handleConnection(socket: OperatorSocket): void {
    const { actor, rooms } = socket.data;
    if (!actor) return;
    void socket.join(rooms);
    const lastEventId = (socket.handshake.auth as { lastEventId?: unknown } | undefined)?.lastEventId;
    let replayed = 0;
    let gap = false;
    if (typeof lastEventId === 'string' && lastEventId) {
      const missed = this.buffer.since(lastEventId);
      if (!missed) {
        gap = true;
        socket.emit('resync', {
          reason: 'lastEventId is not among the recent events: reload from the REST API',
        });
      } else {
        for (const event of missed) {
          if (!mayReceive(actor, socket.data.scope, event.audience)) continue;
          socket.emit(event.name, event.payload, { ...event.meta, replayed: true });
          replayed += 1;
        }
      }
    }
    socket.emit('ready', { actorId: actor.id, role: actor.role, replayed, gap });
  }

  handleDisconnect(socket: OperatorSocket): void {
    const data = socket.data;
    if (!data?.actor || !data.conversations) return;
    for (const conversationId of data.conversations) {
      if (!this.otherLocalSocketViews(socket, conversationId))
        void this.sendPresence(data.actor, conversationId, 'left');
    }
  }

  /** an event from inbox.events.v1 (every instance gets every event) → the sockets allowed to see it */
  deliver(event: OperatorEvent): void {
    this.server?.to(roomsForAudience(event.audience)).emit(event.name, event.payload, event.meta);
  }

  @SubscribeMessage('presence')
  async onPresenceFromClient(
    @ConnectedSocket() socket: OperatorSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack> {
    const parsed = presenceSchema.safeParse(body);
    if (!parsed.success)
      return {
        error: {
          code: 'VALIDATION_FAILED',
          message: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        },
      };
    const { conversationId, state } = parsed.data;
    const { actor } = socket.data;
    if (actor.role === 'bot') return { error: { code: 'FORBIDDEN_ROLE', message: 'bots have no presence' } };
    const conversation = await this.access.visible(actor, conversationId).catch(() => undefined);
    if (!conversation)
      return {
        error: { code: 'CONVERSATION_NOT_FOUND', message: 'no such conversation, or not yours to see' },
      };
    const room = Rooms.conversation(conversationId);
    if (state === 'left') {
      socket.data.conversations.delete(conversationId);
      void socket.leave(room);
      if (this.otherLocalSocketViews(socket, conversationId)) return { ok: true };
    } else {
      const joining = !socket.data.conversations.has(conversationId);
      socket.data.conversations.add(conversationId);
      void socket.join(room);
      if (joining) {
        for (const entry of this.presence.present(conversationId, actor.id)) {
          socket.emit('presence', {
            conversationId,
            operatorId: entry.operatorId,
            name: entry.name,
            state: entry.state,
          });
        }
      }
    }
    await this.sendPresence(actor, conversationId, state);
    return { ok: true };
  }

  private async authenticate(socket: OperatorSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown };
    const token =
      typeof auth.token === 'string'
        ? auth.token
        : Authenticator.bearerOf(socket.handshake.headers.authorization);
    const actor = await this.authenticator.authenticate(token);
    const scope = await this.scopes.scopeOf(actor, true);
    if (!scope.active) throw new DomainError('ACTOR_INACTIVE', 'This account is no longer active', 401);
    socket.data = { actor, scope, rooms: roomsForScope(actor, scope), conversations: new Set() };
  }

  private async sendPresence(
    actor: Actor,
    conversationId: string,
    state: 'viewing' | 'typing' | 'left',
  ): Promise<void> {
    try {
      await this.fanout.publish(
        { kind: 'presence', conversationId, operatorId: actor.id, name: actor.name, state },
        conversationId,
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'presence not shared with the other instances');
    }
  }

  private onPresence(message: FanoutOf<'presence'>): void {
    this.presence.apply(message.conversationId, message.operatorId, message.state, message.name);
    this.server
      ?.to(Rooms.conversation(message.conversationId))
      .except(Rooms.actor(message.operatorId))
      .emit('presence', {
        conversationId: message.conversationId,
        operatorId: message.operatorId,
        name: message.name,
        state: message.state,
      });
  }

  private onContactTyping(message: FanoutOf<'contact-typing'>): void {
    this.server
      ?.to(roomsForAudience({ inboxId: message.inboxId, staffOnly: true }))
      .emit('typing', { conversationId: message.conversationId, from: 'contact', state: message.state });
  }

  private otherLocalSocketViews(socket: OperatorSocket, conversationId: string): boolean {
    for (const other of this.server.sockets.sockets.values()) {
      const data = other.data as OperatorSocketData | undefined;
      if (
        other.id !== socket.id &&
        data?.actor?.id === socket.data.actor.id &&
        data.conversations?.has(conversationId)
      )
        return true;
    }
    return false;
  }

  /** membership changes and removed accounts reach open sockets */
  /** a session ended (logout here or elsewhere, revocation): its sockets are told and closed */
  private endSession(sessionId: string): void {
    if (!this.server) return;
    for (const socket of this.server.sockets.sockets.values()) {
      const actor = (socket.data as OperatorSocketData | undefined)?.actor;
      if (actor?.kind !== 'operator' || actor.sessionId !== sessionId) continue;
      socket.emit('session_ended', { code: 'SESSION_REVOKED' });
      socket.disconnect(true);
    }
  }

  private async rescopeAll(): Promise<void> {
    if (!this.server) return;
    for (const socket of this.server.sockets.sockets.values()) {
      const data = socket.data as OperatorSocketData | undefined;
      if (!data?.actor) continue;
      try {
        const scope = await this.scopes.scopeOf(data.actor);
        if (!scope.active) {
          socket.disconnect(true);
          continue;
        }
        const rooms = roomsForScope(data.actor, scope);
        for (const room of data.rooms) if (!rooms.includes(room)) void socket.leave(room);
        for (const room of rooms) if (!data.rooms.includes(room)) void socket.join(room);
        data.rooms = rooms;
        data.scope = scope;
      } catch (error) {
        this.logger.debug?.({ err: error }, 'scope refresh failed; keeping the old one');
      }
    }
  }
}

function socketError(error: unknown): Error {
  const out = new Error(error instanceof Error ? error.message : 'unauthorized') as Error & {
    data?: unknown;
  };
  out.data =
    error instanceof DomainError
      ? { code: error.code, status: error.status }
      : { code: 'UNAUTHORIZED', status: 401 };
  return out;
}
