import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '@switchboard/common/errors';
import { z } from 'zod';
import { InternalTokenGuard } from '../auth-store/internal-token.guard';
import { requireSupervisor } from '../http/admin-guard';
import { CurrentActor } from '../http/current-actor.decorator';
import type { RequestActor } from '../http/request-actor';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import { AuditLogRepository } from './audit-log.repository';

const auditQuerySchema = z.object({
  cursor: z.string().regex(/^\d+$/, 'must be an audit entry id').optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** GET /internal/v1/audit-log (≙ /api/v1/audit-log): newest first, cursor = the last id seen. */
@Controller('internal/v1/audit-log')
@UseGuards(InternalTokenGuard)
export class AuditLogController {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly repository: AuditLogRepository,
  ) {}

  @Get()
  async list(@CurrentActor() actor: RequestActor, @Query(new ZodValidationPipe(auditQuerySchema)) query: z.output<typeof auditQuerySchema>) {
    requireSupervisor(actor);
    const rows = await this.db.run((sql) => this.repository.list(sql, { ...query, beforeId: query.cursor, limit: query.limit + 1 }));
    const items = rows.slice(0, query.limit).map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
    return { items, nextCursor: rows.length > query.limit ? (items[items.length - 1]?.id ?? null) : null };
  }
}
