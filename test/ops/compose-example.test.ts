/** docker-compose.yml shows a newcomer how to give tokens, feeds and a config of their own. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('passes editor and API tokens and feeds through, and shows the config and secret files to mount', () => {
    expect(compose).toMatch(/^\s+WIRESIFT_EDITOR_TOKENS: \$\{WIRESIFT_EDITOR_TOKENS:-\}$/m);
    expect(compose).toMatch(/^\s+WIRESIFT_API_TOKENS: \$\{WIRESIFT_API_TOKENS:-\}$/m);
    expect(compose).toMatch(/^\s+WIRESIFT_FEEDS: \$\{WIRESIFT_FEEDS:-\}$/m);
    expect(compose).toMatch(/WIRESIFT_CONFIG: \/etc\/wiresift\/site\.yaml/);
    expect(compose).toMatch(/- \.\/site\.yaml:\/etc\/wiresift\/site\.yaml:ro/);
    expect(compose).toMatch(/WIRESIFT_EDITOR_TOKENS_FILE: \/run\/secrets\/editor_tokens/);
    expect(compose).toMatch(/openssl rand -base64 24/);
  });
});
