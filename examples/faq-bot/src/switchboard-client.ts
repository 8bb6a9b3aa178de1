import type { HandoffRequest } from './faq-dialogue';

/** How long one call to Switchboard may take before the bot gives up on it. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The two calls a bot makes, with its bot token: post a message to the customer, hand the
 * conversation to humans. Errors carry the HTTP status and Switchboard's error code
 * (e.g. 422 CONVERSATION_NOT_WITH_BOT once humans have the conversation).
 */
export class SwitchboardClient {
  constructor(
    private readonly baseUrl: string,
    private readonly botToken: string,
  ) {}

  async sendMessage(conversationId: string, text: string): Promise<void> {
    await this.post(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`, { text });
  }

  async handoff(conversationId: string, handoff: HandoffRequest): Promise<void> {
    await this.post(`/api/v1/conversations/${encodeURIComponent(conversationId)}/handoff`, handoff);
  }

  private async post(path: string, body: unknown): Promise<void> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.botToken}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    // Switchboard's errors look like {"error": {"code": "...", "message": "..."}}
    const error = (await response.json().catch(() => undefined)) as
      { error?: { code?: unknown } } | undefined;
    const code = typeof error?.error?.code === 'string' ? error.error.code : 'UNKNOWN';
    throw Object.assign(new Error(`POST ${path} answered ${response.status} ${code}`), {
      status: response.status,
      code,
    });
  }
}
