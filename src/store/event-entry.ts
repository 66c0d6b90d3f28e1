import { type ClusterEvent, EVENT_FIELDS } from './contract-types.js';

/** The fields only some events carry, in the order they follow EVENT_FIELDS. */
const OPTIONAL_FIELDS = ['editor', 'newClusterId', 'undoes', 'threadId'] as const;

/**
 * An event as XADD takes it (a flat field, value list): EVENT_FIELDS in their
 * order, then the optional fields the event has. The dedup commit script is
 * given EVENT_FIELDS for its own events, so every emitter writes one layout.
 */
export function eventEntry(event: ClusterEvent): string[] {
  const out: string[] = [];
  for (const f of [...EVENT_FIELDS, ...OPTIONAL_FIELDS]) {
    const v = event[f];
    if (v !== undefined) out.push(f, v);
  }
  return out;
}
