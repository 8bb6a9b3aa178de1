import { newId } from '@switchboard/common/ids';
import request from 'supertest';
import { AssignmentService } from '../../routing/assignment.service';
import { RoutingScheduler } from '../../routing/routing-scheduler.service';
import { seedOperator, startInboxHarness, type InboxHarness } from '../../__tests__/support/inbox-harness';
import { actorHeaders, ADMIN_HEADERS as admin, assignedTo, botInbox, conversationState, customerWrites } from './support/bot-test-kit';

/**
 * The handoff's language, team and priority drive assignment. One inbox instance with one routing
 * worker and no timer sweep, so a test can also walk the queue itself.
 */
describe('routing follows the handoff (real Kafka + Postgres)', () => {
  let harness: InboxHarness;

  beforeAll(async () => {
    // no timer sweep: routing runs only when something triggers it, so a test can walk the queue itself
    harness = await startInboxHarness({ env: { ROUTING_WORKERS: '1', ROUTING_SWEEP_MS: '0' } });
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

  it('keeps queue order when capacity frees in the middle of a walk: the walk starts over instead of giving the seat to the one behind', async () => {
    const bot = await botInbox(harness, null, { languages: ['en'] });
    const solo = await seedOperator(harness.db, { capacity: 1 });
    const teamId = await teamOf([solo]);
    const handoff = (id: string, priority?: number) =>
      request(harness.url).post(`/internal/v1/conversations/${id}/handoff`).set(actorHeaders('bot', bot.botId)).send({ summary: 'Needs a person', teamId, priority }).expect(200);
    const busy = await customerWrites(harness, bot.inboxId, 'walk-busy', 'first');
    await handoff(busy.conversationId);
    await assignedTo(harness, busy.conversationId, solo, 'the operator busy');
    const normal = await customerWrites(harness, bot.inboxId, 'walk-normal', 'second');
    await handoff(normal.conversationId);
    const urgent = await customerWrites(harness, bot.inboxId, 'walk-urgent', 'third');
    await handoff(urgent.conversationId, 10);

    // a walk of our own: right after the urgent one found no operator, the seat frees (as if the operator
    // resolved a conversation that very moment) and routing is triggered again
    await harness.instances[0].app.get(RoutingScheduler).idle();
    const assignment = harness.instances[0].app.get(AssignmentService);
    let triggered = false;
    const walk = Object.create(assignment) as AssignmentService;
    walk.assignFromQueue = async (conversationId) => {
      const outcome = await assignment.assignFromQueue(conversationId);
      if (conversationId === urgent.conversationId && outcome.kind === 'no_operator' && !triggered) {
        await harness.db.run((sql) => sql.exec(`UPDATE conversations SET status = 'resolved', assignee_id = NULL WHERE id = $1`, [busy.conversationId]));
        triggered = true;
      }
      return outcome;
    };
    await walk.drainQueue(1, () => triggered);
    expect(triggered).toBe(true);
    expect(await conversationState(harness, normal.conversationId)).toMatchObject({ status: 'queued', assigneeId: null });

    // the next walk (the runner's "once more") starts from the head of the queue
    await assignment.drainQueue(1);
    await assignedTo(harness, urgent.conversationId, solo, 'the urgent one assigned');
    expect(await conversationState(harness, normal.conversationId)).toMatchObject({ status: 'queued', assigneeId: null });
  });

  it('does not give a seat to a conversation while a higher-priority one waits for the same operator (another worker or a stale walk)', async () => {
    const bot = await botInbox(harness, null, { languages: ['en'] });
    const solo = await seedOperator(harness.db, { capacity: 1, availability: 'offline' });
    const teamId = await teamOf([solo]);
    const handoff = (id: string, priority?: number) =>
      request(harness.url).post(`/internal/v1/conversations/${id}/handoff`).set(actorHeaders('bot', bot.botId)).send({ summary: 'Needs a person', teamId, priority }).expect(200);
    const normal = await customerWrites(harness, bot.inboxId, 'yield-normal', 'first');
    await handoff(normal.conversationId);
    const urgent = await customerWrites(harness, bot.inboxId, 'yield-urgent', 'second');
    await handoff(urgent.conversationId, 10);
    await harness.instances[0].app.get(RoutingScheduler).idle();

    // the operator comes online (straight in the database: no routing trigger) and a worker picks the normal one
    await harness.db.run((sql) => sql.exec(`UPDATE operators SET availability = 'online' WHERE id = $1`, [solo]));
    const assignment = harness.instances[0].app.get(AssignmentService);
    expect(await assignment.assignFromQueue(normal.conversationId)).toEqual({ kind: 'yielded' });
    expect(await conversationState(harness, normal.conversationId)).toMatchObject({ status: 'queued', assigneeId: null });

    // the walk that follows takes the queue from its head
    await assignment.drainQueue(1);
    expect(await conversationState(harness, urgent.conversationId)).toMatchObject({ status: 'open', assigneeId: solo });
    expect(await conversationState(harness, normal.conversationId)).toMatchObject({ status: 'queued', assigneeId: null });
  });
});
