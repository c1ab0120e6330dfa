import { describe, expect, it } from 'vitest';
import type { Diagnostic } from './definition.js';
import { formatInvalidDefinition, parseDefinition, validateDefinition } from './definition.js';

const validate = (doc: unknown): Diagnostic[] => validateDefinition(JSON.stringify(doc));
const lines = (doc: unknown): string[] => validate(doc).map((d) => `${d.code}: ${d.message} at ${d.location}`);

const machine = (states: Record<string, unknown>, startAt = Object.keys(states)[0]): unknown => ({ StartAt: startAt, States: states });

describe('valid definitions', () => {
  it('accepts the hello world Pass machine', () => {
    const result = parseDefinition(
      JSON.stringify({
        Comment: 'A Hello World example of the Amazon States Language using a Pass state',
        StartAt: 'HelloWorld',
        States: { HelloWorld: { Type: 'Pass', Result: 'Hello World!', End: true } },
      }),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.definition?.States.HelloWorld?.Type).toBe('Pass');
  });

  it('accepts every state type with its fields', () => {
    const doc = {
      StartAt: 'Task',
      TimeoutSeconds: 300,
      States: {
        Task: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'Payload.$': '$', FunctionName: 'f', 'Greeting.$': "States.Format('Hi {}', $.name)" },
          ResultSelector: { 'body.$': '$.Payload' },
          ResultPath: '$.result',
          OutputPath: '$',
          InputPath: '$',
          TimeoutSeconds: 10,
          HeartbeatSeconds: 5,
          Retry: [
            { ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' },
            { ErrorEquals: ['States.ALL'] },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
          Next: 'Choose',
        },
        Choose: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.result.ok', BooleanEquals: true, Next: 'Wait' },
            { And: [{ Variable: '$.n', IsPresent: true }, { Not: { Variable: '$.n', NumericEqualsPath: '$.m' } }], Next: 'Parallel' },
            { Variable: '$$.Execution.Name', StringMatches: 'run-*', Next: 'Map' },
          ],
          Default: 'Failed',
        },
        Wait: { Type: 'Wait', SecondsPath: '$.delay', Next: 'Done' },
        Parallel: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'B1', States: { B1: { Type: 'Pass', End: true } } },
            { StartAt: 'B2', States: { B2: { Type: 'Wait', Timestamp: '2030-01-01T00:00:00Z', End: true } } },
          ],
          ResultPath: null,
          Next: 'Done',
        },
        Map: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemSelector: { 'item.$': '$$.Map.Item.Value' },
          MaxConcurrency: 2,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Inner',
            States: { Inner: { Type: 'Pass', End: true } },
          },
          End: true,
        },
        Done: { Type: 'Succeed' },
        Failed: { Type: 'Fail', Error: 'Oops', CausePath: "States.Format('bad {}', $.x)" },
      },
    };
    expect(lines(doc)).toEqual([]);
  });

  it('accepts the older Iterator form of Map and JSONata fields under JSONata', () => {
    expect(
      lines(machine({ M: { Type: 'Map', Iterator: { StartAt: 'I', States: { I: { Type: 'Succeed' } } }, End: true } })),
    ).toEqual([]);
    expect(
      lines({
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: {
          P: { Type: 'Pass', Output: '{% $states.input %}', Next: 'C' },
          C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.x = 1 %}', Next: 'S' }], Default: 'S' },
          S: { Type: 'Succeed' },
        },
      }),
    ).toEqual([]);
  });
});

describe('structural errors', () => {
  it('reports invalid JSON', () => {
    const [d] = validateDefinition('{"StartAt": ');
    expect(d?.code).toBe('INVALID_JSON_DESCRIPTION');
  });

  it('reports a missing StartAt', () => {
    expect(lines({ States: { A: { Type: 'Succeed' } } })).toEqual(['SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /']);
  });

  it('reports a StartAt that names no state', () => {
    expect(lines(machine({ A: { Type: 'Succeed' } }, 'B'))).toEqual(["MISSING_TRANSITION_TARGET: Missing 'StartAt' target: B at /StartAt"]);
  });

  it('reports unknown top-level fields (the Coment typo)', () => {
    expect(lines({ Coment: 'x', StartAt: 'A', States: { A: { Type: 'Succeed' } } })).toEqual([
      'SCHEMA_VALIDATION_FAILED: The field "Coment" is not supported by Step Functions at /',
    ]);
  });

  it('reports an unknown state type', () => {
    expect(lines(machine({ A: { Type: 'Sleep', End: true } }))).toEqual([
      "SCHEMA_VALIDATION_FAILED: The value for the field 'Type' must be one of [Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map], but was \"Sleep\" at /States/A/Type",
    ]);
    expect(lines(machine({ A: { End: true } }))[0]).toBe('SCHEMA_VALIDATION_FAILED: These fields are required: [Type] at /States/A');
  });

  it('reports missing Next/End, both, and a Next naming no state', () => {
    expect(lines(machine({ A: { Type: 'Pass' } }))[0]).toBe(
      "SCHEMA_VALIDATION_FAILED: These fields are required: [Next] or 'End': true at /States/A",
    );
    expect(lines(machine({ A: { Type: 'Pass', Next: 'B', End: true }, B: { Type: 'Succeed' } }))).toContain(
      "SCHEMA_VALIDATION_FAILED: The fields 'Next' and 'End' are mutually exclusive at /States/A",
    );
    expect(lines(machine({ pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } }))).toEqual([
      "MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next",
      'MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2',
    ]);
  });

  it('reports unreachable states and machines without a terminal state', () => {
    expect(lines(machine({ A: { Type: 'Succeed' }, B: { Type: 'Succeed' } }))).toEqual([
      'MISSING_TRANSITION_TARGET: State "B" is not reachable. at /States/B',
    ]);
    expect(lines(machine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } }))).toEqual([
      'MISSING_END_STATE: Workflow has no terminal state at /States',
    ]);
  });

  it('counts Catch and Choice targets as reachable', () => {
    expect(
      lines(
        machine({
          T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }], Next: 'C' },
          C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsNull: true, Next: 'S' }] },
          S: { Type: 'Succeed' },
          F: { Type: 'Fail' },
        }),
      ),
    ).toEqual([]);
  });

  it('reports fields not allowed on a state type', () => {
    expect(lines(machine({ W: { Type: 'Wait', Seconds: 1, ResultPath: null, End: true } }))).toEqual([
      'SCHEMA_VALIDATION_FAILED: The field "ResultPath" is not supported by Step Functions at /States/W',
    ]);
    expect(lines(machine({ S: { Type: 'Succeed', End: true } }))).toEqual([
      'SCHEMA_VALIDATION_FAILED: The field "End" is not supported by Step Functions at /States/S',
    ]);
    expect(lines(machine({ P: { Type: 'Pass', Output: 'x', End: true } }))).toEqual([
      'SCHEMA_VALIDATION_FAILED: The field "Output" is not supported by Step Functions at /States/P',
    ]);
  });

  it('reports duplicate state names across branches', () => {
    const doc = machine({
      Map: { Type: 'Map', ItemProcessor: { StartAt: 'Final State', States: { 'Final State': { Type: 'Succeed' } } }, Next: 'Final State' },
      'Final State': { Type: 'Pass', End: true },
    });
    expect(lines(doc)).toEqual(['DUPLICATE_STATE_NAME: Duplicate State name: Final State at /States/Final State']);
  });
});

describe('paths and templates', () => {
  it('reports invalid paths and non-reference ResultPaths', () => {
    expect(lines(machine({ P: { Type: 'Pass', InputPath: 'foo', End: true } }))).toEqual([
      "SCHEMA_VALIDATION_FAILED: The value for the field 'InputPath' must be a valid JSONPath at /States/P/InputPath",
    ]);
    expect(lines(machine({ P: { Type: 'Pass', ResultPath: '$.a[*]', End: true } }))[0]).toMatch(
      /^SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid ReferencePath: .* at \/States\/P\/ResultPath$/,
    );
    expect(lines(machine({ P: { Type: 'Pass', ResultPath: '$$.Execution', End: true } }))).toHaveLength(1);
    expect(lines(machine({ P: { Type: 'Pass', InputPath: null, OutputPath: '$.items[?(@.x > 1)]', End: true } }))).toEqual([]);
  });

  it('reports invalid .$ fields in payload templates', () => {
    expect(lines(machine({ P: { Type: 'Pass', Parameters: { nested: { 'Message.$': 'not a path' } }, End: true } }))).toEqual([
      "SCHEMA_VALIDATION_FAILED: The value for the field 'Message.$' must be a valid JSONPath or a valid intrinsic function call at /States/P/Parameters",
    ]);
    expect(lines(machine({ P: { Type: 'Pass', Parameters: { 'x.$': "States.Nope('a')" }, End: true } }))).toHaveLength(1);
    expect(lines(machine({ P: { Type: 'Pass', Parameters: { 'x.$': 1 }, End: true } }))).toHaveLength(1);
  });

  it('requires reference paths in Choice rules', () => {
    const doc = machine({
      C: { Type: 'Choice', Choices: [{ Variable: 'States.ArrayContains($.a, 1)', BooleanEquals: true, Next: 'S' }] },
      S: { Type: 'Succeed' },
    });
    expect(lines(doc)[0]).toMatch(/^SCHEMA_VALIDATION_FAILED: Value is not a Reference Path: .* at \/States\/C\/Choices\[0\]\/Variable$/);
  });
});

describe('Choice, Wait, Fail, Retry and Catch shapes', () => {
  it('reports a Choice without Choices or with an empty list', () => {
    expect(lines(machine({ C: { Type: 'Choice', Default: 'S' }, S: { Type: 'Succeed' } }))).toEqual([
      'SCHEMA_VALIDATION_FAILED: These fields are required: [Choices] at /States/C',
    ]);
    expect(lines(machine({ C: { Type: 'Choice', Choices: [], Default: 'S' }, S: { Type: 'Succeed' } }))).toEqual([
      "SCHEMA_VALIDATION_FAILED: The field 'Choices' must be a non-empty array at /States/C/Choices",
    ]);
  });

  it('checks choice rule shapes and operand types', () => {
    const rules = [
      { Variable: '$.a', NumericEquals: '1', Next: 'S' },
      { Variable: '$.a', Next: 'S' },
      { Variable: '$.a', StringEquals: 'x', NumericEquals: 1, Next: 'S' },
      { Variable: '$.a', StringEquals: 'x' },
      { And: [{ Variable: '$.a', IsNull: true, Next: 'S' }], Next: 'S' },
      { Variable: '$.a', TimestampEquals: 'yesterday', Next: 'S' },
      { Variable: '$.a', StringEquals: 'x', Next: 'Nowhere' },
    ];
    const out = lines(machine({ C: { Type: 'Choice', Choices: rules, Default: 'S' }, S: { Type: 'Succeed' } }));
    expect(out).toEqual([
      "SCHEMA_VALIDATION_FAILED: The value for the field 'NumericEquals' must be a NUMBER at /States/C/Choices[0]/NumericEquals",
      'SCHEMA_VALIDATION_FAILED: A choice rule with a Variable needs a comparison operator at /States/C/Choices[1]',
      'SCHEMA_VALIDATION_FAILED: Only one comparison operator is allowed, but found [StringEquals, NumericEquals] at /States/C/Choices[2]',
      'SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at /States/C/Choices[3]',
      'SCHEMA_VALIDATION_FAILED: The field "Next" is not supported by Step Functions at /States/C/Choices[4]/And[0]',
      "SCHEMA_VALIDATION_FAILED: The value for the field 'TimestampEquals' must be a valid ISO 8601 timestamp at /States/C/Choices[5]/TimestampEquals",
      "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/C/Choices[6]/Next",
    ]);
  });

  it('requires exactly one wait field', () => {
    expect(lines(machine({ W: { Type: 'Wait', End: true } }))).toEqual([
      'SCHEMA_VALIDATION_FAILED: Exactly one of these fields must be defined: [Seconds, Timestamp, SecondsPath, TimestampPath] at /States/W',
    ]);
    expect(lines(machine({ W: { Type: 'Wait', Seconds: 1, Timestamp: '2030-01-01T00:00:00Z', End: true } }))).toHaveLength(1);
    expect(lines(machine({ W: { Type: 'Wait', Seconds: -1, End: true } }))).toHaveLength(1);
  });

  it('rejects Error with ErrorPath on a Fail state', () => {
    expect(lines(machine({ F: { Type: 'Fail', Error: 'x', ErrorPath: '$.e' } }))).toEqual([
      "SCHEMA_VALIDATION_FAILED: The fields 'Error' and 'ErrorPath' are mutually exclusive at /States/F",
    ]);
  });

  it('checks retriers', () => {
    const doc = machine({
      T: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f',
        Retry: [
          { ErrorEquals: ['States.ALL'] },
          { ErrorEquals: [], BackoffRate: 0.5 },
          { IntervalSeconds: 0 },
          { ErrorEquals: ['States.ALL', 'X'], Foo: 1 },
        ],
        End: true,
      },
    });
    expect(lines(doc)).toEqual([
      'SCHEMA_VALIDATION_FAILED: A Retrier with States.ALL must be the last one at /States/T/Retry[0]',
      "SCHEMA_VALIDATION_FAILED: The field 'ErrorEquals' must be a non-empty array of strings at /States/T/Retry[1]/ErrorEquals",
      "SCHEMA_VALIDATION_FAILED: The value for the field 'BackoffRate' must be a number greater than or equal to 1.0 at /States/T/Retry[1]/BackoffRate",
      'SCHEMA_VALIDATION_FAILED: These fields are required: [ErrorEquals] at /States/T/Retry[2]',
      "SCHEMA_VALIDATION_FAILED: The value for the field 'IntervalSeconds' must be a positive integer at /States/T/Retry[2]/IntervalSeconds",
      'SCHEMA_VALIDATION_FAILED: The field "Foo" is not supported by Step Functions at /States/T/Retry[3]',
      'SCHEMA_VALIDATION_FAILED: States.ALL must appear alone in ErrorEquals at /States/T/Retry[3]/ErrorEquals',
    ]);
  });

  it('checks catchers', () => {
    const doc = machine({
      T: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f',
        Catch: [{ ErrorEquals: ['X'] }, { ErrorEquals: ['Y'], Next: 'Missing', ResultPath: '$..x' }],
        End: true,
      },
    });
    const out = lines(doc);
    expect(out[0]).toBe('SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at /States/T/Catch[0]');
    expect(out[1]).toBe("MISSING_TRANSITION_TARGET: Missing 'Next' target: Missing at /States/T/Catch[1]/Next");
    expect(out[2]).toMatch(/'ResultPath' must be a valid ReferencePath/);
  });

  it('requires a Resource on a Task', () => {
    expect(lines(machine({ T: { Type: 'Task', End: true } }))).toEqual([
      'SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/T',
    ]);
  });
});

describe('Parallel and Map branches are validated recursively', () => {
  it('reports errors inside branches with their location', () => {
    const doc = machine({
      P: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', Next: 'Outside' } } }, { States: { Y: { Type: 'Succeed' } } }],
        Next: 'Outside',
      },
      Outside: { Type: 'Succeed' },
    });
    expect(lines(doc)).toEqual([
      "MISSING_TRANSITION_TARGET: Missing 'Next' target: Outside at /States/P/Branches[0]/States/X/Next",
      'MISSING_END_STATE: Workflow has no terminal state at /States/P/Branches[0]/States',
      'SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /States/P/Branches[1]',
    ]);
  });

  it('reports an empty Branches list and a Map without a processor', () => {
    expect(lines(machine({ P: { Type: 'Parallel', Branches: [], End: true } }))).toEqual([
      "SCHEMA_VALIDATION_FAILED: The field 'Branches' must be a non-empty array at /States/P/Branches",
    ]);
    expect(lines(machine({ M: { Type: 'Map', End: true } }))).toEqual([
      'SCHEMA_VALIDATION_FAILED: These fields are required: [ItemProcessor] at /States/M',
    ]);
  });

  it('reports errors inside a Map processor', () => {
    const doc = machine({
      M: {
        Type: 'Map',
        ItemsPath: '$.items[*]',
        ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Task', End: true } } },
        End: true,
      },
    });
    const out = lines(doc);
    expect(out).toHaveLength(2);
    expect(out).toContain('SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/M/ItemProcessor/States/I');
    expect(out.some((line) => line.includes("'ItemsPath' must be a valid ReferencePath"))).toBe(true);
  });
});

describe('formatInvalidDefinition', () => {
  it('joins diagnostics as the InvalidDefinition message does', () => {
    const diagnostics = validate(machine({ pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } }));
    expect(formatInvalidDefinition(diagnostics)).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'",
    );
  });
});

describe('diagnostic codes beyond the schema', () => {
  it('reports an empty definition and a Task resource that is not an ARN', () => {
    expect(validateDefinition('  ')).toEqual([
      { severity: 'ERROR', code: 'MISSING_DESCRIPTION', message: 'The state machine definition is empty', location: '' },
    ]);
    expect(lines(machine({ T: { Type: 'Task', Resource: 'my-function', End: true } }))).toEqual([
      'INVALID_RESOURCE: The resource provided my-function is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. at /States/T/Resource',
    ]);
    expect(lines(machine({ T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } }))).toEqual([]);
  });

  it('reports state names that are too long or contain control characters', () => {
    const long = 'x'.repeat(81);
    expect(validate(machine({ [long]: { Type: 'Succeed' } }))[0]?.code).toBe('INVALID_STATE_NAME');
    expect(validate(machine({ 'a\nb': { Type: 'Succeed' } }))[0]?.code).toBe('INVALID_STATE_NAME');
  });

  it('warns without blocking: NO_DOLLAR, NO_PATH and PASS_RESULT_IS_STATIC', () => {
    const json = JSON.stringify(
      machine({
        P: { Type: 'Pass', Parameters: { id: '$.id', call: 'States.UUID()' }, Result: { 'x.$': '$.y' }, Next: 'F' },
        F: { Type: 'Fail', Error: '$.error' },
      }),
    );
    const result = parseDefinition(json);
    expect(result.definition).toBeDefined();
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.location])).toEqual([
      ['WARNING', 'NO_DOLLAR', '/States/P/Parameters'],
      ['WARNING', 'NO_DOLLAR', '/States/P/Parameters'],
      ['WARNING', 'PASS_RESULT_IS_STATIC', '/States/P/Result'],
      ['WARNING', 'NO_PATH', '/States/F/Error'],
    ]);
    expect(formatInvalidDefinition([...result.diagnostics, ...validate({ States: {} })])).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /, SCHEMA_VALIDATION_FAILED: The field 'States' must contain at least one state at /States'",
    );
  });
});
