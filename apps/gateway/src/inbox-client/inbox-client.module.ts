import { Module } from '@nestjs/common';
import { InboxApiClient } from './inbox-api.client';

/** The inbox's internal HTTP API. */
@Module({ providers: [InboxApiClient], exports: [InboxApiClient] })
export class InboxClientModule {}
