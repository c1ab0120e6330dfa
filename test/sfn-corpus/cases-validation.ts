// Definitions AWS refuses at CreateStateMachine with InvalidDefinition (and the SCHEMA_VALIDATION_FAILED style codes
// in the message), from the States Language specification's MUST rules.
import type { CorpusCase } from './build.js';

const invalid = (name: string, definition: unknown, messageIncludes?: string): CorpusCase => ({
  name: `invalid: ${name}`,
  definition: definition as object,
  input: {},
  invalid: messageIncludes ?? '',
});

export const VALIDATION_CASES: CorpusCase[] = [
  invalid('no StartAt', { States: { A: { Type: 'Pass', End: true } } }),
  invalid('StartAt names no state', { StartAt: 'B', States: { A: { Type: 'Pass', End: true } } }),
  invalid('Next names no state', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }),
  invalid('a state with neither Next nor End', { StartAt: 'A', States: { A: { Type: 'Pass' } } }),
  invalid('an unknown state type', { StartAt: 'A', States: { A: { Type: 'Teleport', End: true } } }),
  invalid('a Choice without Choices', { StartAt: 'C', States: { C: { Type: 'Choice' } } }),
  invalid('a Wait with two delays', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Timestamp: '2020-01-01T00:00:00Z', End: true } } }),
  invalid('States.ALL not alone in ErrorEquals', { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: { Type: 'Succeed' } } }], Retry: [{ ErrorEquals: ['States.ALL', 'E'] }], End: true } } }),
  invalid('a Task without Resource', { StartAt: 'T', States: { T: { Type: 'Task', End: true } } }),
  invalid('a Fail with End', { StartAt: 'F', States: { F: { Type: 'Fail', End: true } } }),
  invalid('a Parallel without Branches', { StartAt: 'P', States: { P: { Type: 'Parallel', End: true } } }),
  invalid('an unreachable state', { StartAt: 'A', States: { A: { Type: 'Succeed' }, B: { Type: 'Succeed' } } }),
  invalid('an invalid JSONPath', { StartAt: 'A', States: { A: { Type: 'Pass', InputPath: 'not a path', End: true } } }),
  invalid('an unknown field', { StartAt: 'A', States: { A: { Type: 'Pass', Colour: 'red', End: true } } }),
  invalid('a state name used twice across Parallel branches', { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: { Type: 'Succeed' } } }, { StartAt: 'X', States: { X: { Type: 'Succeed' } } }], End: true } } }, 'DUPLICATE_STATE_NAME'),
  invalid('a Map without ItemProcessor or Iterator', { StartAt: 'M', States: { M: { Type: 'Map', End: true } } }),
];
