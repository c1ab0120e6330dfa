// Message move tasks (StartMessageMoveTask): move messages from a dead-letter queue back to their source queues, or
// to one destination, at a rate per second, on the clock.
import { randomUUID } from 'node:crypto';
import type { Clock, Timer } from '../../core/clock.js';
import type { Queue } from './store.js';

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

/** When a task is given no rate (AWS: "system optimized"), the most AWS allows. */
export const DEFAULT_MOVE_RATE = 500;

export interface MoveTask {
  readonly id: string;
  readonly handle: string;
  readonly sourceArn: string;
  readonly destinationArn: string | undefined;
  readonly maxPerSecond: number | undefined;
  readonly startedAt: number;
  readonly toMove: number;
  moved: number;
  status: MoveTaskStatus;
  failureReason: string | undefined;
  timer: Timer | undefined;
}

export interface MoveTaskDeps {
  readonly clock: Clock;
  /** A queue by ARN, or undefined when it does not exist (any more). */
  readonly queueByArn: (arn: string) => Queue | undefined;
}

export function newMoveTask(
  sourceArn: string,
  destinationArn: string | undefined,
  maxPerSecond: number | undefined,
  toMove: number,
  now: number,
): MoveTask {
  const id = randomUUID();
  return {
    id,
    handle: Buffer.from(JSON.stringify({ taskId: id, sourceArn }), 'utf8').toString('base64'),
    sourceArn,
    destinationArn,
    maxPerSecond,
    startedAt: now,
    toMove,
    moved: 0,
    status: 'RUNNING',
    failureReason: undefined,
    timer: undefined,
  };
}

/** Reads a task handle: { taskId, sourceArn }, or undefined when malformed. */
export function parseTaskHandle(handle: string): { taskId: string; sourceArn: string } | undefined {
  try {
    const doc: unknown = JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
    if (doc === null || typeof doc !== 'object') return undefined;
    const { taskId, sourceArn } = doc as Record<string, unknown>;
    return typeof taskId === 'string' && typeof sourceArn === 'string' ? { taskId, sourceArn } : undefined;
  } catch {
    return undefined;
  }
}

/** Moves one second's worth of messages, then again every second until done, cancelled or failed. */
export function runMoveTask(task: MoveTask, deps: MoveTaskDeps): void {
  task.timer = undefined;
  if (task.status === 'CANCELLING') {
    task.status = 'CANCELLED';
    return;
  }
  if (task.status !== 'RUNNING') return;
  const now = deps.clock.now();
  const source = deps.queueByArn(task.sourceArn);
  if (!source) {
    fail(task, 'AWS.SimpleQueueService.NonExistentQueue');
    return;
  }
  source.expire(now);
  const budget = Math.min(task.maxPerSecond ?? DEFAULT_MOVE_RATE, task.toMove - task.moved);
  let movedNow = 0;
  for (const m of source.messages.values()) {
    if (movedNow >= budget) break;
    if (m.visibleAt > now) continue;
    const destinationArn = task.destinationArn ?? m.deadLetterSourceArn;
    const destination = destinationArn ? deps.queueByArn(destinationArn) : undefined;
    if (!destination) {
      fail(task, 'AWS.SimpleQueueService.NonExistentQueue');
      return;
    }
    destination.enqueue(
      {
        body: m.body,
        md5OfBody: m.md5OfBody,
        attributes: m.attributes,
        md5OfAttributes: m.md5OfAttributes,
        systemAttributes: m.systemAttributes,
        md5OfSystemAttributes: m.md5OfSystemAttributes,
        senderId: m.senderId,
        delaySeconds: 0,
        groupId: m.groupId,
        deduplicationId: destination.fifo ? (m.deduplicationId ?? m.id) : undefined,
        sentAt: m.sentAt,
        bypassDeduplication: true,
      },
      now,
    );
    source.messages.delete(m.id);
    movedNow++;
    task.moved++;
  }
  const remaining = task.toMove - task.moved;
  if (remaining <= 0 || movedNow < budget) {
    task.status = 'COMPLETED';
    return;
  }
  task.timer = deps.clock.setTimer(1000, () => runMoveTask(task, deps));
}

export function cancelMoveTask(task: MoveTask, deps: MoveTaskDeps): void {
  task.status = 'CANCELLING';
  task.timer?.cancel();
  task.timer = deps.clock.setTimer(0, () => runMoveTask(task, deps));
}

export function stopMoveTask(task: MoveTask): void {
  task.timer?.cancel();
  task.timer = undefined;
}

function fail(task: MoveTask, reason: string): void {
  task.status = 'FAILED';
  task.failureReason = reason;
}
