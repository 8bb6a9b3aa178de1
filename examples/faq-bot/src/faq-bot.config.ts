export interface FaqBotConfig {
  switchboardUrl: string;
  botToken: string;
  webhookSecret: string;
  port: number;
}

/** The port the bot listens on when PORT is not set. */
export const DEFAULT_PORT = 4000;

/**
 * Reads the bot's settings from the environment, all at once: a missing or malformed variable
 * throws one Error naming every variable that is wrong (never echoing secret values).
 */
export function readFaqBotConfig(env: Record<string, string | undefined>): FaqBotConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };

  const switchboardUrl = required('SWITCHBOARD_URL');
  if (switchboardUrl && !isHttpUrl(switchboardUrl))
    problems.push('SWITCHBOARD_URL must be an http(s) URL, e.g. http://localhost:3000');
  const botToken = required('BOT_TOKEN');
  const webhookSecret = required('WEBHOOK_SECRET');
  const rawPort = env.PORT?.trim();
  const port = rawPort ? Number(rawPort) : DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(rawPort ?? String(DEFAULT_PORT)) || port < 1 || port > 65_535)
    problems.push('PORT must be a whole number from 1 to 65535');

  if (problems.length > 0)
    throw new Error(
      `The FAQ bot cannot start:\n  - ${problems.join('\n  - ')}\n(see examples/faq-bot/README.md)`,
    );
  return { switchboardUrl, botToken, webhookSecret, port };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
