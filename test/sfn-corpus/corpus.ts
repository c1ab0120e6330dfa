// The Step Functions conformance corpus: definitions with an input and what AWS gives for them (an output, an error,
// or InvalidDefinition), built from the examples and rules of the Step Functions developer guide and the States
// Language specification. Runner: test/sfn-corpus.test.ts.
import { CHOICE_CASES } from './cases-choice.js';
import { FLOW_CASES } from './cases-flow.js';
import { INTRINSIC_CASES } from './cases-intrinsics.js';
import { PATH_CASES } from './cases-paths.js';
import { VALIDATION_CASES } from './cases-validation.js';

export type { CorpusCase } from './build.js';
import type { CorpusCase } from './build.js';

export const CORPUS: readonly CorpusCase[] = [
  ...PATH_CASES,
  ...INTRINSIC_CASES,
  ...CHOICE_CASES,
  ...FLOW_CASES,
  ...VALIDATION_CASES,
];
