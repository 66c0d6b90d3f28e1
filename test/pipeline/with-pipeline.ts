import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { type AppContext, createContext } from '../../src/app/context.js';
import type { Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import { type Handler, startHttpServer } from '../support/http-server.js';
import { loopbackConfig } from '../support/loopback-config.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';

/** What a pipeline test works with, once its beforeAll ran. */
export type PipelineFixture = {
  /** The process context under test: its own prefix, this server allowed to be fetched. */
  readonly ctx: AppContext;
  /** The local HTTP server the feeds and pages are served from (`serve`). */
  readonly url: string;
  /** The test's own Redis connection, for reading what the pipeline wrote. */
  readonly redis: Redis;
  readonly prefix: string;
  /** A config like the context's, for calls that take one (`checkFeed`, a second context). */
  config(): Config;
};

export type PipelineSetup = {
  /** Serves the feeds and pages; absent, every path is a 404. */
  serve?: Handler;
  /** Config overrides as the environment would give them. */
  env?: Record<string, string>;
  /** Changes to the config before the context is built; `url` is the server's. */
  configure?: (config: Config, url: string) => void;
  log?: Logger;
};

/**
 * The set-up pipeline tests share: a real local HTTP server, a key prefix of
 * their own on the test Redis, a context built from the defaults with the
 * loopback server allowed and no politeness pause; and, after the tests, the
 * context and server closed and every key under the prefix dropped.
 */
export function withPipeline(name: string, setup: PipelineSetup = {}): PipelineFixture {
  const redis = connectTestRedis();
  const prefix = uniquePrefix(name);
  let ctx: AppContext | undefined;
  let server: Awaited<ReturnType<typeof startHttpServer>> | undefined;
  const config = (): Config => {
    const c = loopbackConfig(prefix, undefined, setup.env);
    if (server) setup.configure?.(c, server.url);
    return c;
  };
  beforeAll(async () => {
    server = await startHttpServer(
      setup.serve ??
        ((_req, res) => {
          res.writeHead(404);
          res.end();
        }),
    );
    ctx = createContext(config(), setup.log ?? createLogger('silent'));
  });
  afterAll(async () => {
    await ctx?.close();
    await server?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });
  const ready = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`withPipeline(${name}): ${what} is read before beforeAll ran`);
    return v;
  };
  return {
    get ctx() {
      return ready(ctx, 'ctx');
    },
    get url() {
      return ready(server, 'url').url;
    },
    redis,
    prefix,
    config,
  };
}
