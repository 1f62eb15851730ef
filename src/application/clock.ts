import { v7 as uuidv7 } from 'uuid';

/** Time and ids come from here, never from the domain: tests pass their own. */
export const CLOCK = Symbol('CLOCK');
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Time-ordered UUIDs (v7) for petitions, signatures and events. */
export const newId = (): string => uuidv7();
