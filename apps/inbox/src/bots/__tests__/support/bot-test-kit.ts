import { newId } from '@switchboard/common/ids';
import request from 'supertest';
import { eventually, inboundEvent, INTERNAL_TOKEN, publishInbound, seedInbox, seedOperator, type InboxHarness } from '../../../__tests__/support/inbox-harness';

/** internal API headers naming the caller */
export const actorHeaders = (role: string, id: string): Record<string, string> => ({ Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': id, 'x-actor-role': role });

export const ADMIN_HEADERS = actorHeaders('admin', newId());

export interface BotInbox {
  inboxId: string;
  /** an online operator, member of the inbox */
  operatorId: string;
  botId: string;
  /** the webhook secret POST /bots answered */
  secret: string;
}

/** an inbox served by a new bot whose webhook is `webhookUrl` (none when null), with an online operator member */
export async function botInbox(harness: InboxHarness, webhookUrl: string | null, operator: { languages?: string[] } = {}): Promise<BotInbox> {
  const inboxId = await seedInbox(harness.db, { channelType: 'telegram' });
  const operatorId = await seedOperator(harness.db, { capacity: 5, ...operator });
  await harness.db.run((sql) => sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2)`, [inboxId, operatorId]));
  const bot = await request(harness.url)
    .post('/internal/v1/bots')
    .set(ADMIN_HEADERS)
    .send({ name: `Bot ${inboxId.slice(-4)}`, inboxIds: [inboxId], ...(webhookUrl ? { webhookUrl } : {}) })
    .expect(201);
  return { inboxId, operatorId, botId: bot.body.id as string, secret: bot.body.webhookSecret as string };
}

/** the customer writes (published to inbox.inbound.v1); resolves with the conversation id once the message is stored */
export async function customerWrites(harness: InboxHarness, inboxId: string, thread: string, text: string): Promise<{ conversationId: string }> {
  const event = inboundEvent({ inboxId, channelType: 'telegram', threadKey: thread, sender: { externalId: `user-${thread}` }, text });
  await publishInbound(harness.bus, [event]);
  return eventually(
    () =>
      harness.db.run((sql) =>
        sql.one<{ conversationId: string }>(`SELECT conversation_id AS "conversationId" FROM messages WHERE inbox_id = $1 AND external_id = $2`, [inboxId, event.data.externalId]),
      ),
    60_000,
    `message "${text}" stored`,
  );
}

export interface ConversationState {
  status: string;
  assigneeId: string | null;
  language: string | null;
  teamId: string | null;
}

export function conversationState(harness: InboxHarness, id: string): Promise<ConversationState | undefined> {
  return harness.db.run((sql) =>
    sql.one<ConversationState>(`SELECT status, assignee_id AS "assigneeId", language, team_id AS "teamId" FROM conversations WHERE id = $1`, [id]),
  );
}

/** resolves once the conversation is assigned to `operatorId` */
export function assignedTo(harness: InboxHarness, conversationId: string, operatorId: string, what = 'assigned'): Promise<true> {
  return eventually(async () => (await conversationState(harness, conversationId))?.assigneeId === operatorId, 30_000, what);
}
