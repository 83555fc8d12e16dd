import { hostname } from 'node:os';
import { createApiToken, getMe, login } from '@courier/api';
import { PortalClient } from '@courier/uploader';
import { parseCommand } from '../args.js';
import { configPath, readConfig, writeConfig } from '../config-file.js';
import { CliError, EXIT } from '../exit-codes.js';
import { HELP } from '../help.js';
import type { CliIo } from '../io.js';
import { portalUrl } from '../portal.js';
import { authFailure } from './errors.js';

/**
 * `courier login`: checks or creates a personal API token and stores it (0600).
 *
 * @example
 * await loginCommand(['--portal', 'https://p.example.org', '--token', token], io);
 */
export async function loginCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, {
    portal: { type: 'string' },
    username: { type: 'string' },
    token: { type: 'string' },
  });
  if (values.help) {
    io.out.write(HELP.login);
    return EXIT.OK;
  }
  const path = configPath(io.env);
  const config = await readConfig(path);
  const baseUrl = portalUrl(values.portal, io, config);
  let token = (typeof values.token === 'string' && values.token) || io.env.COURIER_TOKEN || '';
  if (token === '') token = await createToken(baseUrl, values.username, io);
  const client = new PortalClient({ baseUrl, auth: { kind: 'token', token } });
  const me = await client.call(getMe).catch(authFailure);
  await writeConfig(path, { portal: baseUrl, tokens: { ...config.tokens, [baseUrl]: token } });
  io.out.write(`Logged in to ${baseUrl} as ${me.user.username}; token stored in ${path}\n`);
  return EXIT.OK;
}

async function createToken(baseUrl: string, usernameOption: unknown, io: CliIo): Promise<string> {
  const username =
    (typeof usernameOption === 'string' && usernameOption) || (io.ask ? await io.ask('User name: ') : '');
  const password = io.env.COURIER_PASSWORD || (io.ask ? await io.ask('Password: ', { secret: true }) : '');
  if (!username || !password) {
    throw new CliError(
      EXIT.USAGE,
      'give --username and a password (asked on a terminal, or COURIER_PASSWORD), or --token',
    );
  }
  // The session cookie is used for this one request and then forgotten: only the token is kept.
  const client = new PortalClient({ baseUrl, auth: { kind: 'cookies', jar: new Map() } });
  const me = await client.call(login, { body: { username, password } }).catch(authFailure);
  if (client.auth.kind === 'cookies') client.auth.csrfToken = me.csrfToken ?? undefined;
  const created = await client.call(createApiToken, { body: { name: `courier CLI on ${hostname()}` } });
  return created.token;
}
