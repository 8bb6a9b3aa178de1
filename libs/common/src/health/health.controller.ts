import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { MetricsService } from './metrics.service';
import { ReadinessRegistry } from './readiness.registry';
import { ReadinessReport } from './readiness-check';

/** GET /healthz (alive), /readyz (dependencies answer), /metrics (Prometheus text). */
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsService,
  ) {}

  @Get('healthz')
  @Header('Cache-Control', 'no-store')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Header('Cache-Control', 'no-store')
  async readyz(
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReadinessReport & { status: string; failing?: string[] }> {
    const report = await this.readiness.run();
    if (report.ready) return { status: 'ok', ...report };
    res.status(HttpStatus.SERVICE_UNAVAILABLE);
    const failing = Object.entries(report.checks)
      .filter(([, result]) => result.status === 'down')
      .map(([name]) => name);
    return { status: `not ready: ${failing.join(', ')}`, failing, ...report };
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(this.metrics.contentType);
    return this.metrics.render();
  }
}
