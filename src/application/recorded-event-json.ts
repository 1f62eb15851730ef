/** A stored event as the audit routes and exports show it: positions and revisions as decimal strings. */
import type { RecordedEvent } from '../infrastructure/event-store/event-store.port';

export const recordedEventJson = (e: RecordedEvent) => ({
  position: e.position.toString(),
  streamId: e.streamId,
  revision: e.revision.toString(),
  id: e.id,
  type: e.type,
  data: e.data,
  metadata: e.metadata,
});
