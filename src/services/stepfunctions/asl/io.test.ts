import { describe, expect, it } from 'vitest';
import type { Json } from './json.js';
import { StatesError } from './errors.js';
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  evaluatePayloadTemplate,
  processInput,
  processOutput,
} from './io.js';

function failure(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatesError) return err;
    throw err;
  }
  throw new Error('expected a StatesError');
}

describe('InputPath and OutputPath', () => {
  const input: Json = { comment: 'c', data: { val1: 23, val2: 17 }, extra: 'foo', lambda: { who: 'AWS Step Functions' } };

  it('selects, keeps or empties the input', () => {
    expect(applyInputPath('$.lambda', input)).toEqual({ who: 'AWS Step Functions' });
    expect(applyInputPath(undefined, input)).toBe(input);
    expect(applyInputPath('$', input)).toBe(input);
    expect(applyInputPath(null, input)).toEqual({});
    expect(applyOutputPath(null, input)).toEqual({});
  });

  it('fails with States.Runtime and the Jayway reason when nothing matches', () => {
    const err = failure(() => applyInputPath('$.x', input));
    expect(err.error).toBe('States.Runtime');
    expect(err.cause).toBe("Invalid path '$.x' : No results for path: $['x']");
  });

  it('returns lists for indefinite paths, even empty ones', () => {
    expect(applyOutputPath('$.list[*].a', { list: [{ a: 1 }, { b: 2 }] })).toEqual([1]);
  });
});

describe('payload templates', () => {
  it('evaluates the ASL spec example', () => {
    const template: Json = { flagged: true, parts: { 'first.$': '$.vals[0]', 'last3.$': '$.vals[3:]' } };
    expect(evaluatePayloadTemplate(template, { flagged: 7, vals: [0, 10, 20, 30, 40, 50] })).toEqual({
      flagged: true,
      parts: { first: 0, last3: [30, 40, 50] },
    });
  });

  it('evaluates the documented Parameters example with the context object', () => {
    const template: Json = {
      comment: 'Selecting what I care about.',
      MyDetails: { 'size.$': '$.product.details.size', 'exists.$': '$.product.availability', StaticValue: 'foo' },
      'execution.$': '$$.Execution.Id',
    };
    const input: Json = {
      comment: 'Example for Parameters.',
      product: { details: { color: 'blue', size: 'small', material: 'cotton' }, availability: 'in stock', sku: '2317' },
    };
    expect(evaluatePayloadTemplate(template, input, { context: { Execution: { Id: 'arn:exec:1' } } })).toEqual({
      comment: 'Selecting what I care about.',
      MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' },
      execution: 'arn:exec:1',
    });
  });

  it('descends into arrays and calls intrinsics', () => {
    const template: Json = [{ 'greeting.$': "States.Format('Hello, {}', $.name)" }, 'plain', 3];
    expect(evaluatePayloadTemplate(template, { name: 'Ana' })).toEqual([{ greeting: 'Hello, Ana' }, 'plain', 3]);
  });

  it('fails with AWS cause text when a path matches nothing', () => {
    const err = failure(() => evaluatePayloadTemplate({ 'missing.$': '$.nope.deep' }, { other: 1 }));
    expect(err.error).toBe('States.Runtime');
    expect(err.cause).toBe(
      "The JSONPath '$.nope.deep' specified for the field 'missing.$' could not be found in the input '{\"other\":1}'",
    );
  });

  it('fails like AWS for a JSONPath function (the sum() question on re:Post)', () => {
    const err = failure(() => evaluatePayloadTemplate({ 'Jobs.$': '$.Jobs.sum()' }, { Jobs: [0, 1] }));
    expect(err.cause).toBe("The JSONPath '$.Jobs.sum()' specified for the field 'Jobs.$' could not be found in the input '{\"Jobs\":[0,1]}'");
  });

  it('passes the injected randomness to intrinsics', () => {
    const out = evaluatePayloadTemplate({ 'id.$': 'States.UUID()' }, {}, { env: { uuid: () => 'u-1' } });
    expect(out).toEqual({ id: 'u-1' });
  });

  it('keeps keys such as __proto__ as plain data', () => {
    const out = evaluatePayloadTemplate(JSON.parse('{"__proto__": {"x": 1}}') as Json, {});
    expect(Object.keys(out as object)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe('ResultPath', () => {
  const input: Json = { comment: 'This is a test', details: 'Default example', who: 'Step Functions' };
  const result = 'Hello, Step Functions!';

  it('replaces the input by default and with $', () => {
    expect(applyResultPath(input, undefined, result)).toBe(result);
    expect(applyResultPath(input, '$', result)).toBe(result);
  });

  it('discards the result with null', () => {
    expect(applyResultPath(input, null, result)).toBe(input);
  });

  it('includes the result in the input', () => {
    expect(applyResultPath(input, '$.taskresult', result)).toEqual({ ...input, taskresult: result });
  });

  it('updates a node in place and creates missing objects', () => {
    const nested: Json = { a: { b: { keep: 1 } } };
    expect(applyResultPath(nested, '$.a.b.c', 2)).toEqual({ a: { b: { keep: 1, c: 2 } } });
    expect(applyResultPath(nested, '$.x.y.z', 2)).toEqual({ a: { b: { keep: 1 } }, x: { y: { z: 2 } } });
    expect(applyResultPath(nested, "$['a']['b']", 'new')).toEqual({ a: { b: 'new' } });
    expect(nested).toEqual({ a: { b: { keep: 1 } } });
  });

  it('writes into an existing array element', () => {
    expect(applyResultPath({ list: [{ a: 1 }, { a: 2 }] }, '$.list[1].b', 3)).toEqual({ list: [{ a: 1 }, { a: 2, b: 3 }] });
  });

  it('fails with States.ResultPathMatchFailure when the target is not an object', () => {
    const scalar = failure(() => applyResultPath('hello', '$.x', 1));
    expect(scalar.error).toBe('States.ResultPathMatchFailure');
    expect(scalar.cause).toBe('Unable to apply ResultPath \'$.x\' to input \'"hello"\'');
    expect(failure(() => applyResultPath({ a: 1 }, '$.a.b', 1)).error).toBe('States.ResultPathMatchFailure');
    expect(failure(() => applyResultPath({ a: [1] }, '$.a.b', 1)).error).toBe('States.ResultPathMatchFailure');
    expect(failure(() => applyResultPath({ a: [1] }, '$.a[3]', 1)).error).toBe('States.ResultPathMatchFailure');
    expect(failure(() => applyResultPath([1, 2], '$.x', 1)).error).toBe('States.ResultPathMatchFailure');
  });
});

describe('the whole pipeline', () => {
  it('runs the documented InputPath / ResultPath / OutputPath example', () => {
    const state = { InputPath: '$.lambda', ResultPath: '$.data.lambdaresult', OutputPath: '$.data' };
    const raw: Json = {
      comment: 'An input comment.',
      data: { val1: 23, val2: 17 },
      extra: 'foo',
      lambda: { who: 'AWS Step Functions' },
    };
    expect(processInput(state, raw)).toEqual({ who: 'AWS Step Functions' });
    expect(processOutput(state, raw, 'Hello, AWS Step Functions!')).toEqual({
      val1: 23,
      val2: 17,
      lambdaresult: 'Hello, AWS Step Functions!',
    });
  });

  it('applies ResultSelector to the task result before ResultPath', () => {
    const state = {
      ResultSelector: { 'ClusterId.$': '$.output.ClusterId', 'ResourceType.$': '$.resourceType', static: 1 },
      ResultPath: '$.EMROutput',
    };
    const result: Json = { resourceType: 'elasticmapreduce', resource: 'createCluster.sync', output: { ClusterId: 'AKIAI' } };
    expect(processOutput(state, { original: true }, result)).toEqual({
      original: true,
      EMROutput: { ClusterId: 'AKIAI', ResourceType: 'elasticmapreduce', static: 1 },
    });
  });

  it('applies Parameters after InputPath', () => {
    const state = { InputPath: '$.in', Parameters: { 'v.$': '$.value', 'id.$': '$$.State.Name' } };
    expect(processInput(state, { in: { value: 5 } }, { context: { State: { Name: 'S' } } })).toEqual({ v: 5, id: 'S' });
  });
});

describe('context object', () => {
  it('serializes the context object with times from the injected clock', async () => {
    const { FakeClock } = await import('../../../core/clock.js');
    const { contextToJson, isoTime } = await import('./context-object.js');
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
    const now = isoTime(clock);
    expect(now).toBe('2026-01-01T12:00:00.000Z');
    const context = contextToJson({
      Execution: { Id: 'arn:e', Input: { a: 1 }, Name: 'e', RoleArn: 'arn:r', StartTime: now, RedriveCount: 0 },
      State: { EnteredTime: now, Name: 'S', RetryCount: 0 },
      StateMachine: { Id: 'arn:sm', Name: 'sm' },
      Map: { Item: { Index: 3, Value: 'x' } },
    });
    expect(evaluatePayloadTemplate({ 'i.$': '$$.Map.Item.Index', 'in.$': '$$.Execution.Input.a' }, {}, { context })).toEqual({ i: 3, in: 1 });
    expect(context).not.toHaveProperty('Task');
  });
});
