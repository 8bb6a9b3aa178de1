import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { listContactsQuerySchema, mergeContactSchema, updateContactSchema } from './dto/contact.schemas';
import { Endpoint } from './endpoint.decorator';
import { InboxForwarder, segment } from './inbox-forwarder.service';
import { UuidParamPipe } from './uuid-param.pipe';

const STAFF = ['admin', 'supervisor', 'operator'] as const;

/** Contacts: identities on every channel and all their conversations; erasure and export. */
@ApiTags('contacts')
@Controller('api/v1/contacts')
export class ContactsController {
  constructor(private readonly forwarder: InboxForwarder) {}

  @Get()
  @Endpoint({ summary: 'Search contacts', roles: [...STAFF], query: listContactsQuerySchema })
  list(
    @CurrentActor() actor: Actor,
    @Query(new ZodValidationPipe(listContactsQuerySchema)) query: z.output<typeof listContactsQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/contacts', { query });
  }

  @Get(':id')
  @Endpoint({ summary: 'A contact with identities and conversations', roles: [...STAFF] })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', `/contacts/${segment(id)}`);
  }

  @Patch(':id')
  @Endpoint({ summary: 'Change a contact', roles: [...STAFF], body: updateContactSchema })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(updateContactSchema)) body: z.output<typeof updateContactSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'PATCH', `/contacts/${segment(id)}`, { body });
  }

  @Delete(':id')
  @Endpoint({ summary: 'Erase a contact (personal data and the files of their attachments removed, audit kept)', roles: ['admin'] })
  erase(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'DELETE', `/contacts/${segment(id)}`);
  }

  @Post(':id/merge')
  @Endpoint({
    summary: 'Merge another contact into this one (history kept)',
    roles: ['admin', 'supervisor'],
    body: mergeContactSchema,
  })
  merge(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(mergeContactSchema)) body: z.output<typeof mergeContactSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', `/contacts/${segment(id)}/merge`, { body });
  }

  @Get(':id/export')
  @Endpoint({ summary: 'Export everything stored about a contact', roles: ['admin', 'supervisor'] })
  export(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', `/contacts/${segment(id)}/export`);
  }
}
