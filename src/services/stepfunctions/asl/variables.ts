// Workflow variables (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html): the states of
// a state machine share one scope; each Parallel branch and each Map iteration runs in a scope of its own that reads
// the outer scopes but whose assignments stay inside it. A state's Assign is evaluated with the values the variables
// had when the state was entered, and the new values are visible from the next state on.

import type { Json, JsonObject } from './json.js';
import { toJsonText } from './json.js';

/** Variable names: a letter or underscore, then letters, digits and underscores; `states` is reserved. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_NAME_LENGTH = 80;
/** Each state may assign at most 256 KiB of variables (Step Functions service quotas). */
export const MAX_ASSIGN_BYTES = 256 * 1024;

export function variableNameProblem(name: string): string | undefined {
  if (name === 'states') return "The variable name 'states' is reserved";
  if (name.length > MAX_NAME_LENGTH || !NAME.test(name)) {
    return `The variable name '${name}' is not valid: a name starts with a letter or an underscore, is followed by letters, digits or underscores, and has at most ${MAX_NAME_LENGTH} characters`;
  }
  return undefined;
}

export class VariableScope {
  private readonly values = new Map<string, Json>();

  constructor(private readonly parent?: VariableScope) {}

  /** A scope for a Parallel branch or a Map iteration. */
  child(): VariableScope {
    return new VariableScope(this);
  }

  get(name: string): Json | undefined {
    return this.values.has(name) ? this.values.get(name) : this.parent?.get(name);
  }

  /** Every visible variable; inner scopes shadow outer ones. */
  all(): JsonObject {
    const out: JsonObject = this.parent ? this.parent.all() : {};
    for (const [k, v] of this.values) out[k] = v;
    return out;
  }

  assign(values: JsonObject): void {
    for (const [k, v] of Object.entries(values)) this.values.set(k, v);
  }
}

/** The `assignedVariables` of a StateExited event: each value as JSON text. */
export function assignedVariables(values: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k] = toJsonText(v);
  return out;
}
