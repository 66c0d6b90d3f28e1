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
 */
export function bullPrefix(prefix: string): string {
  return `${prefix}bull`;
}
