import type { FastifyInstance } from 'fastify';
import ipaddr from 'ipaddr.js';
import { checkReadiness } from '../ops/readiness.js';
import { connectProbeRedis, readyWithin } from '../store/redis-client.js';
import { createMetrics } from './metrics.js';
import { sameSecret } from './review/auth.js';
import type { WebContext } from './web-context.js';

/** On fixed-size digests (sameSecret): a length check first would tell a prober the token's length. */
function tokenMatches(header: string | undefined, token: string): boolean {
  return sameSecret(header?.replace(/^Bearer\s+/i, '') ?? '', token);
}

/** How long /readyz and /metrics wait for the probe connection to (re)connect: they answer within a second. */
const PROBE_WAIT_MS = 400;

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseRanges(networks: string[]): Range[] {
  return networks.map((n) => {
    if (n.includes('/')) return ipaddr.parseCIDR(n);
    const a = ipaddr.parse(n);
    return [a, a.kind() === 'ipv4' ? 32 : 128];
  });
}

/** The socket's peer (never a forwarded header: a client could write one), IPv4-mapped unwrapped. */
function peerInRanges(remote: string | undefined, ranges: Range[]): boolean {
  if (!remote || !ipaddr.isValid(remote)) return false;
  const addr = ipaddr.process(remote);
  return ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

/**
 * /healthz: the process is alive (no dependency checked, so a Redis outage
 * does not get every replica restarted). /readyz: it can work now; answers
 * within about a second with the reason, Redis down or not. /metrics:
 * Prometheus text, for the bearer token when ops.metricsToken is set, else
 * for ops.metricsAllowedNetworks only (loopback by default).
 *
 * Both read Redis through a probe connection that fails at once instead of
 * queueing commands, so neither hangs while Redis is away.
 */
export function registerOpsRoutes(app: FastifyInstance, ctx: WebContext): void {
  const probe = connectProbeRedis(ctx.config.redis, 'ops-probe', 500);
  let lastError = '';
  // The pipeline's own connections report the outage (once); this one only remembers why.
  probe.on('error', (err: Error & { code?: string }) => {
    lastError = err.code && !err.message.includes(err.code) ? `${err.code} ${err.message}` : err.message;
  });
  probe.on('ready', () => {
    lastError = '';
  });
  app.addHook('onClose', async () => {
    probe.disconnect();
  });
  const registry = createMetrics(ctx, probe, 500);
  const ranges = parseRanges(ctx.config.ops.metricsAllowedNetworks);
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    await readyWithin(probe, PROBE_WAIT_MS);
    const r = await checkReadiness(probe, ctx.queues, ctx.config.ops.maxQueueLagSeconds, {
      health: ctx.redisHealth,
      writeProbeKey: ctx.keys.writeProbe,
      lastConnectionError: () => lastError,
    });
    return reply.code(r.ok ? 200 : 503).send(r);
  });
  app.get('/metrics', async (req, reply) => {
    const token = ctx.config.ops.metricsToken;
    if (token) {
      if (!tokenMatches(req.headers.authorization, token))
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send({ error: 'metrics: token required' });
    } else if (!peerInRanges(req.socket.remoteAddress, ranges)) {
      return reply.code(403).send({
        error:
          'metrics: not served to this address; set ops.metricsToken (WIRESIFT_METRICS_TOKEN) or add the scraper to ops.metricsAllowedNetworks (WIRESIFT_METRICS_ALLOWED_NETWORKS)',
      });
    }
    await readyWithin(probe, PROBE_WAIT_MS);
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
