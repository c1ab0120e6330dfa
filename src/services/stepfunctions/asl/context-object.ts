// The context object (`$$`) of a JSONPath state
// (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html). Times are ISO 8601 strings
// taken from the injected clock, never from Date.now, so executions replay the same under a FakeClock.

import type { Clock } from '../../../core/clock.js';
import type { Json, JsonObject } from './json.js';

export interface ExecutionContext {
  readonly Id: string;
  readonly Input: Json;
  readonly Name: string;
  readonly RoleArn: string;
  readonly StartTime: string;
  readonly RedriveCount: number;
  readonly RedriveTime?: string;
}

export interface ContextObject {
  readonly Execution: ExecutionContext;
  readonly State: { readonly EnteredTime: string; readonly Name: string; readonly RetryCount: number };
  readonly StateMachine: { readonly Id: string; readonly Name: string };
  readonly Task?: { readonly Token: string };
  readonly Map?: { readonly Item: { readonly Index: number; readonly Value: Json; readonly Key?: string } };
}

/** ISO 8601 with milliseconds and Z, as Step Functions prints times in the context object. */
export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/** The context object as JSON for path evaluation; optional parts appear only when set. */
export function contextToJson(context: ContextObject): Json {
  const out: JsonObject = {
    Execution: { ...context.Execution },
    State: { ...context.State },
    StateMachine: { ...context.StateMachine },
  };
  if (context.Task) out.Task = { ...context.Task };
  if (context.Map) {
    const item: JsonObject = { Index: context.Map.Item.Index, Value: context.Map.Item.Value };
    if (context.Map.Item.Key !== undefined) item.Key = context.Map.Item.Key;
    out.Map = { Item: item };
  }
  return out;
}
