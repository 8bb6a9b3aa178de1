import { newId } from '@switchboard/common/ids';
import request from 'supertest';
import { seedOperator, startInboxHarness, type InboxHarness } from '../../__tests__/support/inbox-harness';
import { actorHeaders, ADMIN_HEADERS as admin, assignedTo, botInbox, conversationState, customerWrites } from './support/bot-test-kit';

/**
 * The handoff's language, team and priority drive assignment. One inbox instance with one routing
 * worker, so the queue is walked strictly in order: with several workers or instances, two queued
 * conversations can race for the same freed seat (a routing matter, reported, not this feature's).
 */
describe('routing follows the handoff (real Kafka + Postgres)', () => {
  let harness: InboxHarness;

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { ROUTING_WORKERS: '1' } });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  async function teamOf(operatorIds: string[]): Promise<string> {
    const team = await request(harness.url).post('/internal/v1/teams').set(admin).send({ name: `Team ${newId().slice(-6)}`, routing: 'balanced' }).expect(201);
    await request(harness.url).patch(`/internal/v1/teams/${team.body.id}`).set(admin).send({ memberIds: operatorIds }).expect(200);
    return team.body.id as string;
  }

  it('gives a handoff with language ru and a team to the ru-speaking operator of that team, not the en one', async () => {
    const bot = await botInbox(harness, null, { languages: ['en'] });
    const ru = await seedOperator(harness.db, { capacity: 5, languages: ['ru'] });
    const en = await seedOperator(harness.db, { capacity: 5, languages: ['en'] });
    const teamId = await teamOf([en, ru]);

    const { conversationId } = await customerWrites(harness, bot.inboxId, 'route-ru', 'Здравствуйте, у меня проблема');
    await request(harness.url)
      .post(`/internal/v1/conversations/${conversationId}/handoff`)
      .set(actorHeaders('bot', bot.botId))
      .send({ summary: 'Problem with an order', language: 'ru', teamId, collected: { orderNumber: 'A-1' } })
      .expect(200);
    await assignedTo(harness, conversationId, ru, 'assigned to the ru operator');
    expect(await conversationState(harness, conversationId)).toMatchObject({ assigneeId: ru, language: 'ru', teamId, status: 'open' });
  });

  it('assigns a higher-priority handoff before an older normal one when capacity frees', async () => {
    const bot = await botInbox(harness, null, { languages: ['en'] });
    const solo = await seedOperator(harness.db, { capacity: 1 });
    const teamId = await teamOf([solo]);
    const handoff = (id: string, priority?: number) =>
      request(harness.url).post(`/internal/v1/conversations/${id}/handoff`).set(actorHeaders('bot', bot.botId)).send({ summary: 'Needs a person', teamId, priority }).expect(200);

    const busy = await customerWrites(harness, bot.inboxId, 'prio-busy', 'first');
    await handoff(busy.conversationId);
    await assignedTo(harness, busy.conversationId, solo, 'the operator busy');
    const normal = await customerWrites(harness, bot.inboxId, 'prio-normal', 'second');
    await handoff(normal.conversationId);
    const urgent = await customerWrites(harness, bot.inboxId, 'prio-urgent', 'third');
    await handoff(urgent.conversationId, 10);
    expect(await conversationState(harness, normal.conversationId)).toMatchObject({ status: 'queued', assigneeId: null });
    expect(await conversationState(harness, urgent.conversationId)).toMatchObject({ status: 'queued', assigneeId: null });

    await request(harness.url).post(`/internal/v1/conversations/${busy.conversationId}/status`).set(admin).send({ status: 'resolved' }).expect(200);
    await assignedTo(harness, urgent.conversationId, solo, 'the urgent one assigned');
    expect(await conversationState(harness, normal.conversationId)).toMatchObject({ status: 'queued', assigneeId: null });
  });
});
