import { PortalClient } from '@courier/uploader';
import { type CliConfig, configPath, portalKey, readConfig } from './config-file.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

/**
 * The Portal URL of a command: --portal, else COURIER_PORTAL, else the one of the last login.
 *
 * @example
 * const portal = portalUrl(values.portal, io, config);
 */
export function portalUrl(option: unknown, io: CliIo, config: CliConfig): string {
  const url = (typeof option === 'string' && option) || io.env.COURIER_PORTAL || config.portal;
  if (!url) throw new CliError(EXIT.USAGE, 'missing --portal (or COURIER_PORTAL, or courier login first)');
  try {
    return portalKey(url);
  } catch {
    throw new CliError(EXIT.USAGE, `--portal ${url} is not a URL`);
  }
}

/**
 * A Portal client with the command's token: COURIER_TOKEN, else the token stored by `courier login`.
 *
 * @example
 * const client = await authenticatedClient(values.portal, io);
 */
export async function authenticatedClient(option: unknown, io: CliIo): Promise<PortalClient> {
  const config = await readConfig(configPath(io.env));
  const baseUrl = portalUrl(option, io, config);
  const token = io.env.COURIER_TOKEN || config.tokens[baseUrl];
  if (!token) throw new CliError(EXIT.AUTH, `no token for ${baseUrl}: run courier login --portal ${baseUrl}`);
  return new PortalClient({ baseUrl, auth: { kind: 'token', token } });
}
