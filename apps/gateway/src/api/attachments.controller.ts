import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type BlobRef } from '@switchboard/common';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { AttachmentsService } from './attachments.service';
import { downloadAttachmentQuerySchema, uploadAttachmentQuerySchema } from './dto/attachment.schemas';
import { Endpoint } from './endpoint.decorator';
import { UuidParamPipe } from './uuid-param.pipe';

const EVERYONE = ['admin', 'supervisor', 'operator', 'bot'] as const;

/** Attachments of operators' and bots' messages (an addition to API.md). */
@ApiTags('conversations')
@Controller('api/v1')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post('attachments')
  @Endpoint({
    summary: 'Upload a file (raw body with its Content-Type): a BlobRef to send in a message’s attachments',
    description: 'Limited in size (413).',
    roles: [...EVERYONE],
    query: uploadAttachmentQuerySchema,
    status: 201,
  })
  upload(
    @Query(new ZodValidationPipe(uploadAttachmentQuerySchema))
    query: z.output<typeof uploadAttachmentQuerySchema>,
    @Req() request: Request,
  ): Promise<BlobRef> {
    const length = request.headers['content-length'] ? Number(request.headers['content-length']) : undefined;
    return this.attachments.upload({
      stream: request,
      name: query.name,
      contentType: request.headers['content-type'] ?? '',
      length,
    });
  }

  @Get('conversations/:id/attachments')
  @Endpoint({
    summary: 'Download an attachment of a conversation the caller may see',
    roles: [...EVERYONE],
    query: downloadAttachmentQuerySchema,
  })
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Query(new ZodValidationPipe(downloadAttachmentQuerySchema))
    query: z.output<typeof downloadAttachmentQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { ref, stream } = await this.attachments.download(actor, id, query.key);
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(stream, {
      type: ref.contentType,
      length: ref.size,
      disposition: `attachment; filename="${ref.name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(ref.name)}`,
    });
  }
}
