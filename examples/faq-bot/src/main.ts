import { FaqBot } from './faq-bot';
import { readFaqBotConfig } from './faq-bot.config';

/** Runs the FAQ bot: `npm run bot:faq` with SWITCHBOARD_URL, BOT_TOKEN, WEBHOOK_SECRET and PORT set. */
async function main(): Promise<void> {
  let config;
  try {
    config = readFaqBotConfig(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const bot = new FaqBot(config);
  const port = await bot.listen(config.port);
  console.log(
    JSON.stringify({ level: 'info', msg: 'FAQ bot listening', webhook: `http://localhost:${port}/webhook` }),
  );

  const stop = (): void => {
    void bot.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
