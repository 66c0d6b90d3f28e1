import type { AuditEntry } from './contract-types.js';

/** A review audit entry (docs/redis.md "The review audit log") as XADD takes it. */
export function auditFields(
  editor: string,
  action: AuditEntry['action'],
  clusterId: string,
  articleId: string,
  detail: string,
  now: number,
): string[] {
  return [
    'editor',
    editor,
    'action',
    action,
    'clusterId',
    clusterId,
    'articleId',
    articleId,
    'detail',
    detail,
    'at',
    String(now),
  ];
}
