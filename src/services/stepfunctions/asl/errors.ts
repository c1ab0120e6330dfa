// The runtime failures of the language engine: an error name from the States.* catalog (or a task's own) and a
// cause, exactly as Step Functions writes them in the execution history. Retry and Catch match on `error`.

export const StatesErrors = {
  ALL: 'States.ALL',
  Runtime: 'States.Runtime',
  Timeout: 'States.Timeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  DataLimitExceeded: 'States.DataLimitExceeded',
} as const;

/** A failure inside an execution; the interpreter turns it into a failed state, a Retry or a Catch. */
export class StatesError extends Error {
  readonly error: string;
  override readonly cause: string;
  /** Why, in more words than AWS's cause gives, for logs; never shown to clients. */
  readonly detail: string | undefined;

  constructor(error: string, cause: string, detail?: string) {
    super(detail === undefined ? `${error}: ${cause}` : `${error}: ${cause} (${detail})`);
    this.name = 'StatesError';
    this.error = error;
    this.cause = cause;
    this.detail = detail;
  }
}

/**
 * The cause as Step Functions records it when a state fails: the state and the id of its StateEntered event come
 * first, as in "An error occurred while executing the state 'Check' (entered at the event id #7). <cause>".
 */
export function inState(err: StatesError, stateName: string, enteredEventId: number): StatesError {
  return new StatesError(
    err.error,
    `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${err.cause}`,
    err.detail,
  );
}

/** States.Runtime for a path that cannot be evaluated (InputPath, OutputPath, ItemsPath, Choice Variable ...). */
export function runtimeError(cause: string): StatesError {
  return new StatesError(StatesErrors.Runtime, cause);
}

/** A bad argument to an intrinsic function; Step Functions reports it as States.Runtime (see intrinsics.ts). */
export function intrinsicError(functionName: string, detail?: string): StatesError {
  return new StatesError(StatesErrors.Runtime, `Invalid arguments in ${functionName}`, detail);
}
