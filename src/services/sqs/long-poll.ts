// Long polling: a receive that found nothing waits until a message may be available (a send, a visibility change,
// a delayed or hidden message coming due), the wait time ends, the client goes away or the queue is deleted.
import type { Clock } from '../../core/clock.js';
import type { Queue } from './store.js';

export interface LongPoll<T> {
  readonly clock: Clock;
  readonly queue: Queue;
  readonly signal: AbortSignal;
  readonly waitMs: number;
  /** True once the service stops: waiting ends at once. */
  readonly stopped: () => boolean;
  /** Tries to take messages; an empty array means none yet. */
  readonly claim: () => T[];
}

export async function receiveWithWait<T>(poll: LongPoll<T>): Promise<T[]> {
  const { clock, queue, signal } = poll;
  const deadline = clock.now() + poll.waitMs;
  for (;;) {
    if (queue.deleted || signal.aborted || poll.stopped()) return [];
    const got = poll.claim();
    const now = clock.now();
    if (got.length > 0 || now >= deadline) return got;
    const next = queue.nextVisibleAt(now);
    await waitForChange(clock, queue, signal, Math.min(deadline, next ?? deadline) - now);
  }
}

function waitForChange(clock: Clock, queue: Queue, signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      timer.cancel();
      queue.waiters.delete(done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = clock.setTimer(Math.max(0, ms), done);
    queue.waiters.add(done);
    signal.addEventListener('abort', done, { once: true });
  });
}
