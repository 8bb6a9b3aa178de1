import { isPublicAddress, unbracketed } from '@switchboard/common/net/public-address';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** a host name's addresses */
export type HostResolver = (host: string) => Promise<string[]>;

export const systemResolver: HostResolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Why a bot's webhook URL is refused, or null: http(s) only, and unless private networks are allowed, no
 * address that is not public (this host, private ranges, metadata services) — given literally or as a name
 * that resolves to one. A name that does not resolve now is accepted: every delivery resolves it again and
 * connects only to the address it checked.
 */
export async function webhookUrlProblem(
  webhookUrl: string,
  allowPrivateNetworks: boolean,
  resolve: HostResolver = systemResolver,
  timeoutMs = 2000,
): Promise<string | null> {
  const url = new URL(webhookUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (allowPrivateNetworks) return null;
  const host = unbracketed(url.hostname).toLowerCase();
  const refused = 'must be a public address (this host and private networks are refused)';
  if (host === 'localhost' || host.endsWith('.localhost')) return refused;
  if (isIP(host) !== 0) return isPublicAddress(host) ? null : refused;
  let timer: NodeJS.Timeout | undefined;
  try {
    const addresses = await Promise.race([
      resolve(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
    return addresses.some((address) => !isPublicAddress(address)) ? `${refused}: ${host} resolves to ${addresses.filter((a) => !isPublicAddress(a)).join(', ')}` : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
