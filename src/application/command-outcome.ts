import type { Petition } from '../domain/petition/petition.state';

/** What a lifecycle command leaves behind on the petition's stream. */
export interface CommandOutcome {
  petitionId: string;
  status: Petition['status'] | null;
  /** Global position of the last event appended (decimal string), for read-your-writes. */
  position: string | null;
  eventIds: string[];
}
