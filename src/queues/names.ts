import { untaggedPrefix } from '../store/keys.js';

export const QUEUE_NAMES = {
  feeds: 'feeds',
  articles: 'articles',
  dedup: 'dedup',
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/**
 * BullMQ keys live under the same configured prefix as ours (minus the
 * trailing colon BullMQ adds itself), so one prefix moves a whole deployment.
 * On Redis Cluster each queue's keys share a hash tag of their own (its
 * name), so the queues spread over the cluster and off the dedup slot.
 */
export function bullPrefix(redis: { prefix: string; cluster: boolean }, queue: QueueName): string {
  if (!redis.cluster) return `${redis.prefix}bull`;
  return `${untaggedPrefix(redis.prefix)}bull:{${queue}}`;
}
