import { ReportRepository } from './report.repository';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Reports' controllers and providers, spread into the InboxDomainModule (which provides the database). */
export const ReportsFeature = {
  controllers: [ReportsController],
  providers: [ReportRepository, ReportsService],
} as const;
