import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Response } from 'express';
import { InternalTokenGuard } from '../auth-store/internal-token.guard';
import { CurrentActor } from '../http/current-actor.decorator';
import type { RequestActor } from '../http/request-actor';
import { ContactsService } from './contacts.service';
import { contactIdParamsSchema, listContactsQuerySchema, mergeContactSchema, updateContactSchema, type ListContactsQuery, type UpdateContactBody } from './dto/contact.schemas';

const idParams = new ZodValidationPipe(contactIdParamsSchema);

/**
 * Contacts, internal API for the gateway (GET /internal/v1/contacts ≙ GET /api/v1/contacts). Operators see
 * the contacts with a conversation in one of their inboxes; erasure, merge and export need an admin or a
 * supervisor.
 */
@Controller('internal/v1/contacts')
@UseGuards(InternalTokenGuard)
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  list(@CurrentActor() actor: RequestActor, @Query(new ZodValidationPipe(listContactsQuerySchema)) query: ListContactsQuery) {
    return this.contacts.list(actor, query);
  }

  @Get(':id')
  get(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }) {
    return this.contacts.get(actor, params.id);
  }

  @Patch(':id')
  update(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(updateContactSchema)) body: UpdateContactBody) {
    return this.contacts.update(actor, params.id, body);
  }

  @Delete(':id')
  erase(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }) {
    return this.contacts.erase(actor, params.id);
  }

  @Post(':id/merge')
  @HttpCode(200)
  merge(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(mergeContactSchema)) body: { otherContactId: string }) {
    return this.contacts.merge(actor, params.id, body.otherContactId);
  }

  @Get(':id/export')
  async export(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Res({ passthrough: true }) res: Response) {
    const data = await this.contacts.export(actor, params.id);
    res.setHeader('Content-Disposition', `attachment; filename="contact-${params.id}.json"`);
    return data;
  }
}
