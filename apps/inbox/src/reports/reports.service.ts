import { Inject, Injectable } from '@nestjs/common';
import { requireStaffLead } from '../contacts/staff-lead';
import type { RequestActor } from '../http/request-actor';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { ReportSummaryQuery } from './dto/report.schemas';
import { ReportRepository, type DurationRow, type MessageCountRow } from './report.repository';

export interface DurationStats {
  /** conversations with a measured time */
  count: number;
  avgSeconds: number | null;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export interface SummaryGroup {
  key: string | null;
  name: string | null;
  conversationsCreated: number;
  conversationsResolved: number;
  firstResponse: DurationStats;
  resolution: DurationStats;
  messagesIn: number;
  messagesOut: number;
}

const round = (value: number | null): number | null => (value === null ? null : Math.round(value * 1000) / 1000);

const stats = (row: DurationRow | undefined): DurationStats => ({
  count: row?.measured ?? 0,
  avgSeconds: round(row?.avg ?? null),
  p50Seconds: round(row?.p50 ?? null),
  p90Seconds: round(row?.p90 ?? null),
});

/**
 * Reports for supervisors and admins. Summary over [from, to): conversations created (with first
 * response time = first_response_at − created_at), conversations resolved (with resolution time =
 * resolved_at − created_at), messages in and out; grouped by the conversation's current assignee,
 * team, inbox or channel (key null = unassigned / no team). Live: queue, bot conversations, operators' load (and whether each is on shift).
 */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly reports: ReportRepository,
  ) {}

  async summary(actor: RequestActor, query: ReportSummaryQuery): Promise<Record<string, unknown>> {
    requireStaffLead(actor);
    return this.db.transaction(async (sql) => {
      await sql.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const totals = this.combine(
        await this.reports.created(sql, null, query.from, query.to),
        await this.reports.resolved(sql, null, query.from, query.to),
        await this.reports.messages(sql, null, query.from, query.to),
      );
      const groups = query.groupBy
        ? this.combine(
            await this.reports.created(sql, query.groupBy, query.from, query.to),
            await this.reports.resolved(sql, query.groupBy, query.from, query.to),
            await this.reports.messages(sql, query.groupBy, query.from, query.to),
          )
        : [];
      const total = totals[0] ?? this.empty(null, null);
      const { key: _key, name: _name, ...totalFields } = total;
      return { from: query.from.toISOString(), to: query.to.toISOString(), groupBy: query.groupBy, totals: totalFields, groups };
    });
  }

  async live(actor: RequestActor): Promise<Record<string, unknown>> {
    requireStaffLead(actor);
    return this.db.transaction(async (sql) => {
      await sql.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const queues = await this.reports.queues(sql);
      const bot = await this.reports.botConversations(sql);
      const operators = await this.reports.operators(sql);
      const waits = queues.map((queue) => queue.longestWaitSeconds ?? 0);
      const online = operators.filter((operator) => operator.availability === 'online');
      return {
        at: new Date().toISOString(),
        queue: {
          length: queues.reduce((sum, queue) => sum + queue.queued, 0),
          longestWaitSeconds: waits.length > 0 ? Math.round(Math.max(...waits)) : null,
          byInbox: queues.map((queue) => ({ ...queue, longestWaitSeconds: queue.longestWaitSeconds === null ? null : Math.round(queue.longestWaitSeconds) })),
        },
        botConversations: bot,
        operators: {
          online: online.length,
          /** online and on shift: who routing can give work to now */
          onShift: online.filter((operator) => operator.onShift).length,
          away: operators.filter((operator) => operator.availability === 'away').length,
          offline: operators.filter((operator) => operator.availability === 'offline').length,
          items: online.map((operator) => ({
            id: operator.id,
            name: operator.name,
            active: operator.active,
            capacity: operator.capacity,
            onShift: operator.onShift,
            load: operator.capacity > 0 ? round(operator.active / operator.capacity) : null,
          })),
        },
      };
    });
  }

  private combine(created: DurationRow[], resolved: DurationRow[], messages: MessageCountRow[]): SummaryGroup[] {
    const groups = new Map<string, SummaryGroup>();
    const group = (key: string | null, name: string | null): SummaryGroup => {
      const id = key ?? '';
      let found = groups.get(id);
      if (!found) {
        found = this.empty(key, name);
        groups.set(id, found);
      }
      return found;
    };
    for (const row of created) {
      const target = group(row.key, row.name);
      target.conversationsCreated = row.count;
      target.firstResponse = stats(row);
    }
    for (const row of resolved) {
      const target = group(row.key, row.name);
      target.conversationsResolved = row.count;
      target.resolution = stats(row);
    }
    for (const row of messages) {
      const target = group(row.key, row.name);
      target.messagesIn = row.inbound;
      target.messagesOut = row.outbound;
    }
    return [...groups.values()].sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || (a.key ?? '').localeCompare(b.key ?? ''));
  }

  private empty(key: string | null, name: string | null): SummaryGroup {
    return { key, name, conversationsCreated: 0, conversationsResolved: 0, firstResponse: stats(undefined), resolution: stats(undefined), messagesIn: 0, messagesOut: 0 };
  }
}
