import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '@switchboard/common/errors';
import { InternalTokenGuard } from '../auth-store/internal-token.guard';
import { CurrentActor } from '../http/current-actor.decorator';
import type { RequestActor } from '../http/request-actor';
import { reportSummaryQuerySchema, type ReportSummaryQuery } from './dto/report.schemas';
import { ReportsService } from './reports.service';

/** Reports, internal API for the gateway (GET /internal/v1/reports/summary ≙ GET /api/v1/reports/summary); admins and supervisors. */
@Controller('internal/v1/reports')
@UseGuards(InternalTokenGuard)
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  summary(@CurrentActor() actor: RequestActor, @Query(new ZodValidationPipe(reportSummaryQuerySchema)) query: ReportSummaryQuery) {
    return this.reports.summary(actor, query);
  }

  @Get('live')
  live(@CurrentActor() actor: RequestActor) {
    return this.reports.live(actor);
  }
}
