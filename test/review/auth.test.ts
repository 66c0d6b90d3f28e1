import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { matchToken, parseTokens } from '../../src/http/review/auth.js';

describe('review tokens', () => {
  it('reads editor and API tokens from the environment, refusing short ones', () => {
    const c = loadConfig({
      env: {
        WIRESIFT_EDITOR_TOKENS: 'alice:aaaaaaaaaaaaaaaa1, bbbbbbbbbbbbbbbb2',
        WIRESIFT_API_TOKENS: 'cccccccccccccccc3',
      },
    });
    expect(c.review.editorTokens).toEqual(['alice:aaaaaaaaaaaaaaaa1', 'bbbbbbbbbbbbbbbb2']);
    expect(c.review.apiTokens).toEqual(['cccccccccccccccc3']);
    expect(() => loadConfig({ env: { WIRESIFT_API_TOKENS: 'short' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { WIRESIFT_API_TOKENS: 'short' } })).toThrow(/review\.apiTokens\.0/);
  });

  it('names editors without keeping the token, and matches only exact tokens', () => {
    const tokens = parseTokens(['alice:aaaaaaaaaaaaaaaa1', 'bbbbbbbbbbbbbbbb2'], 'editor');
    expect(tokens.map((t) => t.name)).toEqual(['alice', expect.stringMatching(/^editor-[0-9a-f]{6}$/)]);
    expect(JSON.stringify(tokens)).not.toContain('bbbbbbbbbbbbbbbb2');
    expect(matchToken('aaaaaaaaaaaaaaaa1', tokens)).toEqual({ name: 'alice', kind: 'editor' });
    expect(matchToken('bbbbbbbbbbbbbbbb2', tokens)?.name).toBe(tokens[1]!.name);
    expect(matchToken('aaaaaaaaaaaaaaaa', tokens)).toBeNull();
    expect(matchToken('alice:aaaaaaaaaaaaaaaa1', tokens)).toBeNull();
    expect(matchToken('', tokens)).toBeNull();
  });
});
