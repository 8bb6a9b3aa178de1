import {
  Body,
  Controller,
  Get,
  Headers,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { Public } from '../auth/access.decorators';
import { ApiRoute } from '../openapi/api-docs.decorators';
import {
  configQuerySchema,
  createSessionSchema,
  fileQuerySchema,
  historyQuerySchema,
  sendVisitorMessageSchema,
  uploadQuerySchema,
} from './dto/webchat.schemas';
import { CurrentVisitor, VisitorGuard } from './visitor.guard';
import { WebchatRateLimitGuard } from './webchat-rate-limit.guard';
import type { Visitor, VisitorMessage } from './webchat-payload';
import { SessionCreated, WebchatService } from './webchat.service';

/** The web chat's public endpoints (API.md, "Web chat"), for the widget on allowed sites. */
@ApiTags('web chat')
@Public()
@UseGuards(WebchatRateLimitGuard)
@Controller('webchat/v1')
export class WebchatController {
  constructor(private readonly webchat: WebchatService) {}

  @Get('config')
  @ApiRoute({ summary: "A web chat's public settings (for the widget)", query: configQuerySchema })
  async config(
    @Query(new ZodValidationPipe(configQuerySchema)) query: z.output<typeof configQuerySchema>,
    @Headers('origin') origin?: string,
  ) {
    const inbox = await this.webchat.inboxForKey(query.inboxKey, origin);
    return { name: inbox.name, identityVerification: !!inbox.identitySecret };
  }

  @Post('sessions')
  @ApiRoute({
    summary: 'Open a visitor session: {visitorToken, conversationId}',
    description:
      'With identifier + identifierHash (hex HMAC-SHA256 of identifier with the inbox identitySecret) the visitor is verified and resumes their conversation; a wrong hash is refused (401).',
    body: createSessionSchema,
    status: 201,
  })
  session(
    @Body(new ZodValidationPipe(createSessionSchema)) body: z.output<typeof createSessionSchema>,
    @Headers('origin') origin?: string,
  ): Promise<SessionCreated> {
    return this.webchat.createSession(body, origin);
  }

  @Get('messages')
  @UseGuards(VisitorGuard)
  @ApiBearerAuth()
  @ApiRoute({ summary: "The visitor's conversation so far (Bearer visitorToken)", query: historyQuerySchema })
  async history(
    @CurrentVisitor() visitor: Visitor,
    @Query(new ZodValidationPipe(historyQuerySchema)) query: z.output<typeof historyQuerySchema>,
    @Headers('origin') origin?: string,
  ): Promise<{ items: VisitorMessage[] }> {
    this.webchat.inboxOf(visitor, origin);
    return this.webchat.history(visitor, query);
  }

  @Post('messages')
  @UseGuards(VisitorGuard)
  @ApiBearerAuth()
  @ApiRoute({
    summary: 'Send a message as the visitor (Bearer visitorToken)',
    body: sendVisitorMessageSchema,
    status: 201,
  })
  send(
    @CurrentVisitor() visitor: Visitor,
    @Body(new ZodValidationPipe(sendVisitorMessageSchema)) body: z.output<typeof sendVisitorMessageSchema>,
    @Headers('origin') origin?: string,
  ): Promise<VisitorMessage> {
    return this.webchat.send(visitor, body, origin);
  }

  @Post('attachments')
  @UseGuards(VisitorGuard)
  @ApiBearerAuth()
  @ApiRoute({
    summary:
      'Upload an attachment (raw body, Content-Type of the file, ?name=): {token} to send with a message',
    description: 'Limited in size (413) and type (415).',
    query: uploadQuerySchema,
    status: 201,
  })
  upload(
    @CurrentVisitor() visitor: Visitor,
    @Query(new ZodValidationPipe(uploadQuerySchema)) query: z.output<typeof uploadQuerySchema>,
    @Req() request: Request,
    @Headers('origin') origin?: string,
  ) {
    const header = request.headers['x-file-name'];
    const name = query.name ?? (typeof header === 'string' ? decodeURIComponent(header) : 'file');
    const length = request.headers['content-length'] ? Number(request.headers['content-length']) : undefined;
    return this.webchat.upload(visitor, origin, {
      stream: request,
      name,
      contentType: request.headers['content-type'] ?? '',
      length,
    });
  }

  @Get('files')
  @ApiRoute({
    summary: 'Download an attachment of the conversation (signed link from a message)',
    query: fileQuerySchema,
  })
  async file(
    @Query(new ZodValidationPipe(fileQuerySchema)) query: z.output<typeof fileQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const stream = await this.webchat.file(query);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    return new StreamableFile(stream, { type: 'application/octet-stream', disposition: 'attachment' });
  }
}
