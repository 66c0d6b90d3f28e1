import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { matchToken, parseTokens } from '../../src/http/review/auth.js';

describe('review tokens', () => {
  it('reads editor and API tokens from the environment, refusing short ones', () => {
    const c = loadConfig({
      env: {
        WIRESIFT_EDITOR_TOKENS: 'alice:k3Fq9-xT2mZ8vLw0, Pz7Rb4Nc1Yh6Gs5W',
        WIRESIFT_API_TOKENS: 'Jd8Ue3Ko5Ai2Lf9Q',
      },
    });
    expect(c.review.editorTokens).toEqual(['alice:k3Fq9-xT2mZ8vLw0', 'Pz7Rb4Nc1Yh6Gs5W']);
    expect(c.review.apiTokens).toEqual(['Jd8Ue3Ko5Ai2Lf9Q']);
    expect(() => loadConfig({ env: { WIRESIFT_API_TOKENS: 'short' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { WIRESIFT_API_TOKENS: 'short' } })).toThrow(/review\.apiTokens\.0/);
    // Long but guessable: a repeated pattern, or a name with a short secret behind it.
    for (const weak of ['aaaaaaaaaaaaaaaaaaaaaaaa', 'abababababababababababab', 'alice-the-editor:hunter2'])
      expect(() => loadConfig({ env: { WIRESIFT_EDITOR_TOKENS: weak } })).toThrow(/token too weak/);
  });

  it('names editors without keeping the token, and matches only exact tokens', () => {
    const tokens = parseTokens(['alice:k3Fq9-xT2mZ8vLw0', 'Pz7Rb4Nc1Yh6Gs5W'], 'editor');
    expect(tokens.map((t) => t.name)).toEqual(['alice', expect.stringMatching(/^editor-[0-9a-f]{6}$/)]);
    expect(JSON.stringify(tokens)).not.toContain('Pz7Rb4Nc1Yh6Gs5W');
    expect(matchToken('k3Fq9-xT2mZ8vLw0', tokens)).toEqual({ name: 'alice', kind: 'editor' });
    expect(matchToken('Pz7Rb4Nc1Yh6Gs5W', tokens)?.name).toBe(tokens[1]!.name);
    expect(matchToken('k3Fq9-xT2mZ8vLw', tokens)).toBeNull();
    expect(matchToken('alice:k3Fq9-xT2mZ8vLw0', tokens)).toBeNull();
    expect(matchToken('', tokens)).toBeNull();
  });
});
