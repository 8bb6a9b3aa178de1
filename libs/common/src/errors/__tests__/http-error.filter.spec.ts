import { Body, Controller, ForbiddenException, Get, INestApplication, Module, Post } from '@nestjs/common';
import request from 'supertest';
import { z } from 'zod';
import { createLogger } from '../../logging/create-logger';
import { LoggingModule } from '../../logging/logging.module';
import { LogCapture } from '../../logging/__tests__/log-capture';
import { createServiceApp } from '../../nest/create-service-app';
import { ConflictError } from '../conflict.error';
import { NotFoundError } from '../not-found.error';
import { RateLimitedError } from '../rate-limited.error';
import { ZodValidationPipe } from '../zod-validation.pipe';

const messageSchema = z.object({ text: z.string().min(1), priority: z.number().int().optional() });

@Controller()
class ProbeController {
  @Get('missing')
  missing(): never {
    throw NotFoundError.of('conversation', 'c-1');
  }

  @Get('collision')
  collision(): never {
    throw new ConflictError('someone wrote since', { code: 'COLLISION', details: { newer: ['m-2'] } });
  }

  @Get('limited')
  limited(): never {
    throw new RateLimitedError(7.2);
  }

  @Get('raw-zod')
  rawZod(): unknown {
    return z.object({ id: z.string().uuid() }).parse({ id: 'x' });
  }

  @Get('nest-forbidden')
  nestForbidden(): never {
    throw new ForbiddenException('not your inbox');
  }

  @Get('boom')
  boom(): never {
    throw new Error('connection string postgres://user:pw@db leaked');
  }

  @Post('messages')
  create(@Body(new ZodValidationPipe(messageSchema)) body: z.output<typeof messageSchema>): unknown {
    return body;
  }
}

describe('HttpErrorFilter in a service app', () => {
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
    app = await createServiceApp(ProbeModule);
  });

  afterAll(async () => {
    await app.close();
  });

  const http = () => request(app.getHttpServer());

  it('renders a DomainError with its status, code and details', async () => {
    await http()
      .get('/missing')
      .expect(404, {
        error: {
          code: 'CONVERSATION_NOT_FOUND',
          message: 'conversation c-1 not found',
          details: { id: 'c-1' },
        },
      });
    await http()
      .get('/collision')
      .expect(409, {
        error: { code: 'COLLISION', message: 'someone wrote since', details: { newer: ['m-2'] } },
      });
  });

  it('sends Retry-After with a rate limit', async () => {
    const response = await http().get('/limited').expect(429);
    expect(response.headers['retry-after']).toBe('8');
    expect(response.body.error.code).toBe('RATE_LIMITED');
  });

  it('answers 400 with the failing fields for a body that does not fit the schema', async () => {
    const response = await http().post('/messages').send({ priority: 1.5 }).expect(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details.fields.map((field: { path: string }) => field.path)).toEqual([
      'text',
      'priority',
    ]);
    await http().post('/messages').send({ text: 'hi' }).expect(201, { text: 'hi' });
  });

  it('answers 400 for a zod error thrown in a handler', async () => {
    const response = await http().get('/raw-zod').expect(400);
    expect(response.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ path: 'id' }] },
    });
  });

  it('maps body-parser failures: malformed JSON → 400, too large → 413', async () => {
    const bad = await http()
      .post('/messages')
      .set('content-type', 'application/json')
      .send('{"text":')
      .expect(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
    const big = await http()
      .post('/messages')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(200_000) }))
      .expect(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('maps Nest HttpExceptions and unknown routes', async () => {
    await http()
      .get('/nest-forbidden')
      .expect(403, { error: { code: 'FORBIDDEN', message: 'not your inbox', details: {} } });
    const unknown = await http().get('/nowhere').expect(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('hides unknown errors behind a generic 500 and logs them', async () => {
    const response = await http().get('/boom').set('x-correlation-id', 'boom-1').expect(500);
    expect(response.body).toEqual({
      error: { code: 'INTERNAL', message: 'Internal server error', details: {} },
    });
    expect(JSON.stringify(response.body)).not.toContain('postgres');
    const logged = capture.find((line) => line.msg === 'unhandled error');
    expect(logged).toMatchObject({ level: 'error', context: 'HttpErrorFilter', correlationId: 'boom-1' });
  });
});
