import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { BusMessage, MessageBus, SubscribeOptions, Subscription } from '../bus.port';
import { BusHandlerOptions } from './bus-event-pattern.decorator';
import { BusRpcContext } from './bus-rpc.context';

export interface BusTransportOptions {
  /** group of handlers that name none: `<defaultGroupId>.<topic>` */
  defaultGroupId?: string;
  /** merged under every handler's options (e.g. consumer timeouts) */
  subscribeDefaults?: Partial<SubscribeOptions>;
}

interface GroupPlan {
  groupId: string;
  batch: boolean;
  options: BusHandlerOptions;
  handlers: Map<string, MessageHandler>;
}

/**
 * A Nest microservice transport on the MessageBus: each `@EventPattern(topic, { groupId, batch, ... })` /
 * `@BusEventPattern` handler becomes a subscription (handlers sharing a group id share one). Batch handlers
 * receive BusMessage[], the others a BusMessage; a thrown error or an erroring observable is a failure
 * (retried, then dead-lettered by the bus). Use: `app.connectMicroservice({ strategy: new BusTransport(bus) })`.
 */
export class BusTransport extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly bus: MessageBus,
    private readonly transportOptions: BusTransportOptions = {},
  ) {
    super();
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      for (const plan of this.plan().values()) this.subscriptions.push(await this.subscribe(plan));
      callback();
    } catch (err) {
      await this.close().catch(() => undefined);
      callback(err);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.stop()));
  }

  on(): never {
    throw new Error('BusTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private plan(): Map<string, GroupPlan> {
    const groups = new Map<string, GroupPlan>();
    for (const [topic, head] of this.getHandlers()) {
      for (let handler: MessageHandler | undefined = head; handler; handler = handler.next) {
        if (!handler.isEventHandler) throw new Error(`BusTransport serves @EventPattern handlers only; '${topic}' is a @MessagePattern`);
        const options = (handler.extras ?? {}) as BusHandlerOptions;
        const groupId = options.groupId ?? (this.transportOptions.defaultGroupId && `${this.transportOptions.defaultGroupId}.${topic}`);
        if (!groupId) throw new Error(`the handler of '${topic}' names no groupId and the transport has no defaultGroupId`);
        const batch = options.batch ?? false;
        const plan = groups.get(groupId) ?? { groupId, batch, options, handlers: new Map<string, MessageHandler>() };
        if (plan.batch !== batch) throw new Error(`group '${groupId}' mixes batch and single-message handlers`);
        if (plan.handlers.has(topic)) throw new Error(`group '${groupId}' has two handlers for '${topic}'`);
        plan.handlers.set(topic, handler);
        groups.set(groupId, plan);
      }
    }
    return groups;
  }

  private subscribe(plan: GroupPlan): Promise<Subscription> {
    const { batch: _batch, groupId: _groupId, ...options } = plan.options;
    const handle = (messages: BusMessage[], data: BusMessage | BusMessage[]) => this.invoke(plan, messages, data);
    return this.bus.subscribe({
      ...this.transportOptions.subscribeDefaults,
      ...options,
      groupId: plan.groupId,
      topics: [...plan.handlers.keys()],
      ...(plan.batch
        ? { eachBatch: (messages: BusMessage[]) => handle(messages, messages) }
        : { eachMessage: (message: BusMessage) => handle([message], message) }),
    });
  }

  private async invoke(plan: GroupPlan, messages: BusMessage[], data: BusMessage | BusMessage[]): Promise<void> {
    const topic = messages[0].topic;
    const handler = plan.handlers.get(topic);
    if (!handler) throw new Error(`no handler for '${topic}' in group '${plan.groupId}'`);
    const result: unknown = await handler(data, new BusRpcContext(messages));
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}
