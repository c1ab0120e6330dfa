// Wait, Succeed, Fail, Parallel, inline Map, Retry and Catch, from the state pages and "Handling errors in Step
// Functions workflows" of the Step Functions developer guide.
import { pass, single, type CorpusCase } from './build.js';

// State names are unique across a whole machine, branches included, so each branch names its state after its result.
const failBranch = (error: string, cause: string): object => ({ StartAt: `Fail${error}`, States: { [`Fail${error}`]: { Type: 'Fail', Error: error, Cause: cause } } });
const passBranch = (result: unknown): object => {
  const name = `Pass${JSON.stringify(result).replace(/\W/g, '')}`;
  return { StartAt: name, States: { [name]: { Type: 'Pass', Result: result, End: true } } };
};

export const FLOW_CASES: CorpusCase[] = [
  // Wait
  { name: 'Wait Seconds waits on the clock', definition: single({ Type: 'Wait', Seconds: 10 }), input: { a: 1 }, output: { a: 1 }, minElapsedMs: 10_000 },
  { name: 'Wait SecondsPath reads the delay', definition: single({ Type: 'Wait', SecondsPath: '$.delay' }), input: { delay: 5 }, output: { delay: 5 }, minElapsedMs: 5_000 },
  { name: 'Wait Timestamp in the past continues at once', definition: single({ Type: 'Wait', Timestamp: '2001-01-01T00:00:00Z' }), input: {}, output: {} },
  { name: 'Wait TimestampPath in the past continues at once', definition: single({ Type: 'Wait', TimestampPath: '$.at' }), input: { at: '2001-01-01T00:00:00Z' }, output: { at: '2001-01-01T00:00:00Z' } },
  { name: 'Wait SecondsPath to a string fails with States.Runtime', definition: single({ Type: 'Wait', SecondsPath: '$.delay' }), input: { delay: 'soon' }, error: { error: 'States.Runtime' } },
  { name: 'Wait OutputPath applies', definition: single({ Type: 'Wait', Seconds: 1, OutputPath: '$.a' }), input: { a: { b: 2 } }, output: { b: 2 } },
  // Succeed and Fail
  { name: 'Succeed ends the execution with its input', definition: single({ Type: 'Succeed' }), input: { ok: true }, output: { ok: true } },
  { name: 'Succeed with InputPath and OutputPath', definition: single({ Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' }), input: { a: { b: 3 } }, output: 3 },
  { name: 'Fail ends the execution with Error and Cause', definition: single({ Type: 'Fail', Error: 'ErrorA', Cause: 'Kaiju attack' }), input: {}, error: { error: 'ErrorA', cause: 'Kaiju attack' } },
  { name: 'Fail ErrorPath and CausePath read the input', definition: single({ Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' }), input: { e: 'Custom', c: 'because' }, error: { error: 'Custom', cause: 'because' } },
  { name: 'Fail CausePath with an intrinsic', definition: single({ Type: 'Fail', Error: 'E', CausePath: "States.Format('cause: {}', $.c)" }), input: { c: 'x' }, error: { error: 'E', cause: 'cause: x' } },
  { name: 'Fail after a Pass', definition: { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'F' }, F: { Type: 'Fail', Error: 'E' } } }, input: {}, error: { error: 'E' } },
  // Parallel
  { name: 'Parallel outputs an array of branch outputs in branch order', definition: single({ Type: 'Parallel', Branches: [passBranch('a'), passBranch('b'), passBranch({ c: 1 })] }), input: {}, output: ['a', 'b', { c: 1 }] },
  { name: 'Parallel branches each get the effective input', definition: single({ Type: 'Parallel', InputPath: '$.in', Branches: [{ StartAt: 'P1', States: { P1: { Type: 'Pass', End: true } } }, { StartAt: 'P2', States: { P2: { Type: 'Pass', OutputPath: '$.x', End: true } } }] }), input: { in: { x: 1 } }, output: [{ x: 1 }, 1] },
  { name: 'Parallel ResultPath and ResultSelector', definition: single({ Type: 'Parallel', Branches: [passBranch(1), passBranch(2)], ResultSelector: { 'first.$': '$[0]', 'second.$': '$[1]' }, ResultPath: '$.r' }), input: { k: 0 }, output: { k: 0, r: { first: 1, second: 2 } } },
  { name: 'a failing branch fails the Parallel with its error', definition: single({ Type: 'Parallel', Branches: [passBranch(1), failBranch('BranchError', 'it broke')] }), input: {}, error: { error: 'BranchError', cause: 'it broke' } },
  { name: 'Catch on a Parallel sends the error to a handler at ResultPath', definition: { StartAt: 'Par', States: { Par: { Type: 'Parallel', Branches: [failBranch('BranchError', 'it broke')], Catch: [{ ErrorEquals: ['BranchError'], ResultPath: '$.error', Next: 'Handler' }], End: true }, Handler: { Type: 'Pass', End: true } } }, input: { a: 1 }, output: { a: 1, error: { Error: 'BranchError', Cause: 'it broke' } } },
  { name: 'nested Parallel', definition: single({ Type: 'Parallel', Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Parallel', Branches: [passBranch('x'), passBranch('y')], End: true } } }, passBranch('z')] }), input: {}, output: [['x', 'y'], 'z'] },
  { name: 'Parallel with Wait states in branches', definition: single({ Type: 'Parallel', Branches: [{ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3, Next: 'Late' }, Late: { Type: 'Pass', Result: 'late', End: true } } }, passBranch('early')] }), input: {}, output: ['late', 'early'], minElapsedMs: 3_000 },
  // Map (inline)
  { name: 'Map runs the processor on each item', definition: single({ Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } } } }), input: { items: [1, 2, 3] }, output: [{ v: 1 }, { v: 2 }, { v: 3 }] },
  { name: 'Map over an empty array outputs an empty array', definition: single({ Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }), input: { items: [] }, output: [] },
  { name: 'Map ItemSelector reads the item, its index and the state input', definition: single({ Type: 'Map', ItemsPath: '$.detail.shipped', ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'courier.$': '$.delivery-partner' }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }), input: { 'delivery-partner': 'UQS', detail: { shipped: [{ prod: 'R31' }, { prod: 'S39' }] } }, output: [{ parcel: { prod: 'R31' }, index: 0, courier: 'UQS' }, { parcel: { prod: 'S39' }, index: 1, courier: 'UQS' }] },
  { name: 'Map with the legacy Iterator and Parameters fields', definition: single({ Type: 'Map', ItemsPath: '$.items', Parameters: { 'n.$': '$$.Map.Item.Value' }, Iterator: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }), input: { items: ['a', 'b'] }, output: [{ n: 'a' }, { n: 'b' }] },
  { name: 'Map MaxConcurrency 1 keeps order', definition: single({ Type: 'Map', MaxConcurrency: 1, ItemsPath: '$', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }), input: [3, 2, 1], output: [3, 2, 1] },
  { name: 'Map ResultPath puts the results beside the input', definition: single({ Type: 'Map', ItemsPath: '$.items', ResultPath: '$.results', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'done', End: true } } } }), input: { items: [1, 2] }, output: { items: [1, 2], results: ['done', 'done'] } },
  { name: 'Map over a path that is not an array fails with States.Runtime', definition: single({ Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }), input: { items: 'nope' }, error: { error: 'States.Runtime' } },
  { name: 'a failing iteration fails the Map with its error', definition: single({ Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'F' }], Default: 'P' }, P: { Type: 'Pass', End: true }, F: { Type: 'Fail', Error: 'Two', Cause: 'item 2' } } } }), input: { items: [1, 2, 3] }, error: { error: 'Two', cause: 'item 2' } },
  { name: 'Catch on a Map', definition: { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Bad' } } }, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'H' }], End: true }, H: { Type: 'Pass', OutputPath: '$.err.Error', End: true } } }, input: { items: [1] }, output: 'Bad' },
  { name: 'Map inside Map', definition: single({ Type: 'Map', ItemsPath: '$', ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Map', ItemsPath: '$', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': '$' }, End: true } } }, End: true } } } }), input: [[1, 2], [3]], output: [[{ x: 1 }, { x: 2 }], [{ x: 3 }]] },
  { name: 'Map ItemsPath defaults to the whole input', definition: single({ Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }), input: ['a'], output: ['a'] },
  { name: 'Map ResultSelector shapes the results', definition: single({ Type: 'Map', ItemsPath: '$.items', ResultSelector: { 'count.$': 'States.ArrayLength($)' }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }), input: { items: [1, 2, 3] }, output: { count: 3 } },
  // Retry and Catch
  { name: 'Retry on a failing Parallel, then the error surfaces', definition: single({ Type: 'Parallel', Branches: [failBranch('Flaky', 'always')], Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }] }), input: {}, error: { error: 'Flaky', cause: 'always' }, minElapsedMs: 3_000 },
  { name: 'Retry MaxAttempts 0 does not retry', definition: single({ Type: 'Parallel', Branches: [failBranch('E', 'c')], Retry: [{ ErrorEquals: ['E'], MaxAttempts: 0 }] }), input: {}, error: { error: 'E', cause: 'c' } },
  { name: 'Retry then Catch', definition: { StartAt: 'Par', States: { Par: { Type: 'Parallel', Branches: [failBranch('E', 'c')], Retry: [{ ErrorEquals: ['E'], IntervalSeconds: 1, MaxAttempts: 1 }], Catch: [{ ErrorEquals: ['E'], Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } } }, input: {}, output: { Error: 'E', Cause: 'c' }, note: 'Catch without ResultPath replaces the input with the error output' },
  { name: 'Catch matches States.ALL', definition: { StartAt: 'Par', States: { Par: { Type: 'Parallel', Branches: [failBranch('Anything', 'c')], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true }, H: { Type: 'Pass', Result: 'handled', End: true } } }, input: {}, output: 'handled' },
  { name: 'Catch picks the first matching catcher', definition: { StartAt: 'Par', States: { Par: { Type: 'Parallel', Branches: [failBranch('B', 'c')], Catch: [{ ErrorEquals: ['A'], Next: 'HA' }, { ErrorEquals: ['B'], Next: 'HB' }, { ErrorEquals: ['States.ALL'], Next: 'HA' }], End: true }, HA: { Type: 'Pass', Result: 'A', End: true }, HB: { Type: 'Pass', Result: 'B', End: true } } }, input: {}, output: 'B' },
  { name: 'an error not caught fails the execution', definition: { StartAt: 'Par', States: { Par: { Type: 'Parallel', Branches: [failBranch('B', 'c')], Catch: [{ ErrorEquals: ['A'], Next: 'HA' }], End: true }, HA: { Type: 'Pass', End: true } } }, input: {}, error: { error: 'B', cause: 'c' } },
  { name: 'States.ALL does not catch States.Runtime', definition: { StartAt: 'Par', States: { Par: { Type: 'Parallel', Branches: [{ StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$.missing', End: true } } }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true }, H: { Type: 'Pass', Result: 'caught', End: true } } }, input: {}, error: { error: 'States.Runtime' }, note: 'runtime errors always fail the execution' },
  { name: 'Catch with ResultPath null keeps the input', definition: { StartAt: 'Par', States: { Par: { Type: 'Parallel', Branches: [failBranch('E', 'c')], Catch: [{ ErrorEquals: ['E'], ResultPath: null, Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } } }, input: { keep: 1 }, output: { keep: 1 } },
  { name: 'Retry with MaxDelaySeconds caps the backoff', definition: single({ Type: 'Parallel', Branches: [failBranch('E', 'c')], Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 10, MaxDelaySeconds: 2 }] }), input: {}, error: { error: 'E', cause: 'c' }, minElapsedMs: 5_000, maxElapsedMs: 6_000 },
  // whole workflows
  {
    name: 'a small order workflow: Map, Choice and a summary',
    definition: {
      StartAt: 'Price',
      States: {
        Price: { Type: 'Map', ItemsPath: '$.lines', ItemSelector: { 'total.$': "States.MathAdd($$.Map.Item.Value.qty, $$.Map.Item.Value.extra)" }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ResultPath: '$.priced', Next: 'Big?' },
        'Big?': { Type: 'Choice', Choices: [{ Variable: '$.priced[0].total', NumericGreaterThan: 10, Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Pass', Parameters: { size: 'big', 'lines.$': 'States.ArrayLength($.priced)' }, End: true },
        Small: { Type: 'Pass', Parameters: { size: 'small', 'lines.$': 'States.ArrayLength($.priced)' }, End: true },
      },
    },
    input: { lines: [{ qty: 10, extra: 5 }, { qty: 1, extra: 0 }] },
    output: { size: 'big', lines: 2 },
  },
  { name: 'a Pass with Parameters before a Succeed', definition: { StartAt: 'A', States: { A: pass({ Parameters: { 'greeting.$': "States.Format('Hi {}', $.who)" }, Next: 'Done' }), Done: { Type: 'Succeed' } } }, input: { who: 'Ana' }, output: { greeting: 'Hi Ana' } },
];
