/**
 * Quotes a value for a POSIX shell when it needs it: tokens (`courier_pat_` + base64url) and
 * ordinary Portal addresses pass unchanged, anything else goes in single quotes with `'` escaped.
 *
 * @example
 * shellQuote('https://portal.example.org'); // 'https://portal.example.org' (unchanged)
 * shellQuote("it's"); // "'it'\\''s'"
 */
export function shellQuote(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that stores a new personal API token for the `courier` command line (docs/cli.md,
 * `courier login --portal URL --token TOKEN`). The Portal address is the page's origin: the same
 * address the user's browser reaches the Portal at.
 *
 * @example
 * cliLoginLine('https://portal.example.org', 'courier_pat_abc');
 * // 'courier login --portal https://portal.example.org --token courier_pat_abc'
 */
export function cliLoginLine(portal: string, token: string): string {
  return `courier login --portal ${shellQuote(portal)} --token ${shellQuote(token)}`;
}
