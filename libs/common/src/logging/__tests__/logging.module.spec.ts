import { Controller, Get, INestApplication, Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { currentCorrelationId } from '../correlation-id';
import { createLogger } from '../create-logger';
import { LoggingModule } from '../logging.module';
import { LogCapture } from './log-capture';

@Controller()
class ProbeController {
  private readonly logger = new NestLogger(ProbeController.name);

  @Get('probe')
  async probe(): Promise<{ correlationId?: string }> {
    await new Promise((resolve) => setImmediate(resolve));
    this.logger.log({ token: 'secret-token' }, 'handling probe');
    return { correlationId: currentCorrelationId() };
  }

  @Get('healthz')
  health(): string {
    return 'ok';
  }
}

describe(LoggingModule.name, () => {
  const capture = new LogCapture();
  let app: INestApplication;

  beforeAll(async () => {
    @Module({
      imports: [
        LoggingModule.forRoot({
          service: 'probe',
          logger: createLogger({ service: 'probe', destination: capture }),
        }),
      ],
      controllers: [ProbeController],
    })
    class ProbeModule {}
    app = await NestFactory.create(ProbeModule, { bufferLogs: true });
    app.useLogger(app.get(Logger));
    app.flushLogs();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('keeps a caller-supplied x-correlation-id, echoes it, and logs it with the context name', async () => {
    const response = await request(app.getHttpServer())
      .get('/probe')
      .set('x-correlation-id', 'abc-123')
      .expect(200);
    expect(response.headers['x-correlation-id']).toBe('abc-123');
    expect(response.body).toEqual({ correlationId: 'abc-123' });
    const handled = capture.find((line) => line.msg === 'handling probe');
    expect(handled).toMatchObject({
      correlationId: 'abc-123',
      context: 'ProbeController',
      token: '[REDACTED]',
    });
    const completed = capture.find(
      (line) => line.msg === 'request completed' && line.correlationId === 'abc-123',
    );
    expect(completed).toMatchObject({ service: 'probe', level: 'info' });
  });

  it('generates an id when the header is absent or unsafe', async () => {
    const generated = await request(app.getHttpServer()).get('/probe').expect(200);
    const id = generated.headers['x-correlation-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.body).toEqual({ correlationId: id });

    const unsafe = await request(app.getHttpServer())
      .get('/probe')
      .set('x-correlation-id', 'forged id <script>')
      .expect(200);
    expect(unsafe.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('masks the authorization and cookie headers in request logs', async () => {
    await request(app.getHttpServer())
      .get('/probe')
      .set('x-correlation-id', 'auth-1')
      .set('authorization', 'Bearer very-secret')
      .set('cookie', 'sid=abc')
      .expect(200);
    const completed = capture.find(
      (line) => line.msg === 'request completed' && line.correlationId === 'auth-1',
    );
    expect(completed).toMatchObject({
      req: { headers: { authorization: '[REDACTED]', cookie: '[REDACTED]' } },
    });
    expect(JSON.stringify(capture.lines)).not.toContain('very-secret');
  });

  it('does not log successful health probes', async () => {
    await request(app.getHttpServer()).get('/healthz').set('x-correlation-id', 'health-1').expect(200);
    expect(capture.find((line) => line.correlationId === 'health-1')).toBeUndefined();
  });
});
