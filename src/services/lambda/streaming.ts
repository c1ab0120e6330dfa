// InvokeWithResponseStream's event stream: PayloadChunk events as the function writes, then InvokeComplete (the
// error of a failed invocation, the log tail with LogType Tail). A function that does not stream answers with one
// PayloadChunk holding its whole response, as on AWS.
// https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html
import type { InvokeWithResponseStreamResponseEvent } from '@aws-sdk/client-lambda';
import type { InvocationOutcome } from './runtime/environment.js';

/** What the stream needs from one invocation: run it with a chunk sink, and how to render the log tail. */
export interface StreamedInvocation {
  run(onChunk: (chunk: Buffer) => void): Promise<InvocationOutcome>;
  /** The LogResult to send (LogType Tail), or undefined. */
  logResult(outcome: InvocationOutcome): string | undefined;
}

/**
 * The events of one streamed invocation. The invocation starts at once (not when the client starts reading), and
 * chunks wait in memory until read: the HTTP response is written as they come.
 */
export function invocationEvents(invocation: StreamedInvocation): AsyncIterable<InvokeWithResponseStreamResponseEvent> {
  const queue: InvokeWithResponseStreamResponseEvent[] = [];
  let finished = false;
  let wake: (() => void) | undefined;
  const push = (event: InvokeWithResponseStreamResponseEvent | undefined): void => {
    if (event) queue.push(event);
    else finished = true;
    const w = wake;
    wake = undefined;
    w?.();
  };
  invocation
    .run((chunk) => push({ PayloadChunk: { Payload: chunk } }))
    .then(
      (outcome) => {
        if (!outcome.streamed && !outcome.functionError && outcome.payload.length > 0) {
          push({ PayloadChunk: { Payload: outcome.payload } });
        }
        push({ InvokeComplete: completeEvent(outcome, invocation.logResult(outcome)) });
        push(undefined);
      },
      (err: unknown) => {
        push({
          InvokeComplete: { ErrorCode: 'ServiceException', ErrorDetails: err instanceof Error ? err.message : String(err) },
        });
        push(undefined);
      },
    );
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (finished) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

/** InvokeComplete: a failure's error type and message, and the log tail. */
function completeEvent(
  outcome: InvocationOutcome,
  logResult: string | undefined,
): { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } {
  const event: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } = {};
  if (outcome.functionError) {
    const { errorType, errorMessage } = parseError(outcome.payload);
    event.ErrorCode = errorType;
    event.ErrorDetails = errorMessage;
  }
  if (logResult !== undefined) event.LogResult = logResult;
  return event;
}

function parseError(payload: Buffer): { errorType: string; errorMessage: string } {
  try {
    const parsed: unknown = JSON.parse(payload.toString('utf8'));
    if (parsed && typeof parsed === 'object') {
      const { errorType, errorMessage } = parsed as { errorType?: unknown; errorMessage?: unknown };
      return {
        errorType: typeof errorType === 'string' ? errorType : 'Unhandled',
        errorMessage: typeof errorMessage === 'string' ? errorMessage : payload.toString('utf8'),
      };
    }
  } catch {
    // not JSON: the text itself
  }
  return { errorType: 'Unhandled', errorMessage: payload.toString('utf8') };
}
