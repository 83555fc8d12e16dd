import { describe, expect, it } from 'vitest';
import { cliLoginLine, shellQuote } from './cli-login-line.js';

describe('cliLoginLine', () => {
  it('writes the courier login command with the Portal address and the token unquoted when safe', () => {
    expect(cliLoginLine('http://127.0.0.1:8080', 'courier_pat_Ab-9_x')).toBe(
      'courier login --portal http://127.0.0.1:8080 --token courier_pat_Ab-9_x',
    );
  });

  it('quotes a value a shell would split or expand', () => {
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});
