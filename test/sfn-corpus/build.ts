// The shape of a corpus case, and the small builders the case files share.

export interface CorpusCase {
  readonly name: string;
  readonly definition: object;
  readonly input: unknown;
  /** The execution succeeds with this output; the string `@machine` stands for the state machine's name. */
  readonly output?: unknown;
  /** The execution succeeds with an object whose string fields match these patterns. */
  readonly outputMatches?: Readonly<Record<string, RegExp>>;
  /** The execution fails with this error (and cause, when given). */
  readonly error?: { readonly error: string; readonly cause?: string; readonly oneOf?: readonly string[] };
  /** CreateStateMachine refuses the definition with InvalidDefinition; a non-empty string must be in the message. */
  readonly invalid?: string;
  readonly executionName?: string;
  /** Clock time the execution must take at least (Wait states, retries), and at most. */
  readonly minElapsedMs?: number;
  readonly maxElapsedMs?: number;
  /** Why the expectation is what it is, where that is not obvious. */
  readonly note?: string;
}

export const pass = (fields: Record<string, unknown>): Record<string, unknown> => ({ Type: 'Pass', ...fields });

/** A machine of one state; End is added unless the state ends by itself. */
export function single(state: Record<string, unknown>, name = 'S'): object {
  const ends = state.Type === 'Succeed' || state.Type === 'Fail' || state.Type === 'Choice';
  return { StartAt: name, States: { [name]: ends ? state : { ...state, End: true } } };
}
