import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * What `courier login` stores: per Portal origin, a personal API token; and the last Portal used.
 *
 * @example
 * const config: CliConfig = { portal: 'https://p.example.org', tokens: { 'https://p.example.org': 'courier_pat_…' } };
 */
export interface CliConfig {
  portal?: string;
  tokens: Record<string, string>;
}

/**
 * Where the config lives: COURIER_CONFIG, else $XDG_CONFIG_HOME/courier/config.json, else
 * ~/.config/courier/config.json.
 *
 * @example
 * configPath(process.env); // '/home/ana/.config/courier/config.json'
 */
export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.COURIER_CONFIG) return env.COURIER_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'courier', 'config.json');
}

/**
 * Reads the config; an absent file is an empty config.
 *
 * @example
 * const { tokens } = await readConfig(configPath(process.env));
 */
export async function readConfig(path: string): Promise<CliConfig> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<CliConfig>;
    return { ...(parsed.portal ? { portal: parsed.portal } : {}), tokens: parsed.tokens ?? {} };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { tokens: {} };
    throw error;
  }
}

/**
 * Writes the config readable by its owner only (0600): it holds a credential. The mode is set
 * again after writing because `mode` applies only when the file is created.
 *
 * @example
 * await writeConfig(path, { portal, tokens: { [portal]: token } });
 */
export async function writeConfig(path: string, config: CliConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}

/**
 * The origin a Portal URL is stored under (scheme, host and port; no trailing slash).
 *
 * @example
 * portalKey('https://Portal.example.org/'); // 'https://portal.example.org'
 */
export function portalKey(url: string): string {
  return new URL(url).origin;
}
