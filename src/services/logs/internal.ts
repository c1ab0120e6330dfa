// What other services use to reach CloudWatch Logs in process: Lambda writes its invocation logs with append(), and
// EventBridge delivers to log-group targets (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`) with deliver().
import type { TargetOwner } from '../../core/targets.js';

export interface LogsInternal extends TargetOwner {
  /** Appends events to a stream, creating the group and the stream when missing, as Lambda's and EventBridge's writes do. */
  append(
    account: string,
    region: string,
    group: string,
    stream: string,
    events: ReadonlyArray<{ readonly timestamp: number; readonly message: string }>,
  ): void;
}
