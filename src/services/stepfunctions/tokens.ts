// Task tokens: the handle an activity worker or a callback (`.waitForTaskToken`) uses to finish a task with
// SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat. A token stays known after it closes so that a late
// answer gets TaskTimedOut or TaskDoesNotExist, as in AWS, instead of InvalidToken.
import { randomBytes } from 'node:crypto';
import { SfnErrors } from './errors.js';

export type TaskOutcome =
  | { readonly ok: true; readonly output: string }
  | { readonly ok: false; readonly error?: string; readonly cause?: string };

interface TokenEntry {
  state: 'open' | 'closed' | 'timedOut';
  settle: ((outcome: TaskOutcome) => void) | undefined;
  heartbeat: (() => void) | undefined;
}

const TOKEN_PREFIX = 'AQ';

export class TaskTokens {
  private readonly entries = new Map<string, TokenEntry>();

  /** A new open token; `settle` is attached later with `attach`. */
  issue(): string {
    const token = TOKEN_PREFIX + randomBytes(48).toString('base64url');
    this.entries.set(token, { state: 'open', settle: undefined, heartbeat: undefined });
    return token;
  }

  attach(token: string, settle: (outcome: TaskOutcome) => void, heartbeat: () => void): void {
    const entry = this.entries.get(token);
    if (entry) {
      entry.settle = settle;
      entry.heartbeat = heartbeat;
    }
  }

  /** Marks a token closed (the task finished or its execution stopped) or timed out. */
  close(token: string, state: 'closed' | 'timedOut' = 'closed'): void {
    const entry = this.entries.get(token);
    if (entry && entry.state === 'open') {
      entry.state = state;
      entry.settle = undefined;
      entry.heartbeat = undefined;
    }
  }

  complete(token: string, outcome: TaskOutcome): void {
    const entry = this.open(token);
    const settle = entry.settle;
    this.close(token);
    settle?.(outcome);
  }

  heartbeat(token: string): void {
    this.open(token).heartbeat?.();
  }

  clear(): void {
    this.entries.clear();
  }

  private open(token: string): TokenEntry {
    if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || token.length > 1024) throw SfnErrors.invalidToken();
    const entry = this.entries.get(token);
    if (!entry) throw SfnErrors.invalidToken();
    if (entry.state === 'timedOut') throw SfnErrors.taskTimedOut();
    if (entry.state === 'closed') throw SfnErrors.taskDoesNotExist();
    return entry;
  }
}
