export const QUEUE_NAMES = {
  feeds: 'feeds',
  articles: 'articles',
  dedup: 'dedup',
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** BullMQ's prefix for a queue: built with every other key, in store/keys.ts. */
export { bullPrefix } from '../store/keys.js';
