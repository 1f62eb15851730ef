/**
 * The live subscriptions of an event store (either adapter): each one registers itself and
 * leaves when it finishes; closing the store stops those still running.
 */
import type { Subscription } from './event-store.port';

export class SubscriptionRegistry<S extends Subscription> {
  private readonly live = new Set<S>();

  add(subscription: S): S {
    this.live.add(subscription);
    return subscription;
  }

  /** For the subscription's `onFinished`. */
  readonly remove = (subscription: S): void => {
    this.live.delete(subscription);
  };

  [Symbol.iterator](): IterableIterator<S> {
    return this.live.values();
  }

  /** Stops them all. A failed handler's error has already gone to onError / stop(); closing should still succeed. */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.live].map((s) => s.stop()));
  }
}
