import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { TelegramWebhookRegistry } from './telegram-webhook.registry';

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * `POST /telegram/{inboxId}/webhook` (API.md, "Telegram"). 200 with an empty body only after the
 * update's event was acknowledged by Kafka; 401 without the right X-Telegram-Bot-Api-Secret-Token;
 * 404 for an inbox not served in webhook mode; 503 when the event could not be stored (Telegram
 * delivers the update again). Errors render as `{error:{code,message,details}}`.
 */
@Controller('telegram')
export class TelegramWebhookController {
  constructor(private readonly webhooks: TelegramWebhookRegistry) {}

  @Post(':inboxId/webhook')
  @HttpCode(200)
  async receive(@Param('inboxId') inboxId: string, @Headers(TELEGRAM_SECRET_HEADER) secretToken: string | undefined, @Body() update: unknown): Promise<void> {
    // an empty body: whatever JSON we answered with, Telegram would try to run it as a method call
    await this.webhooks.dispatch(inboxId, secretToken, update);
  }
}
