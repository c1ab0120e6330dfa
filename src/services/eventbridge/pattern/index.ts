// The event pattern engine shared by EventBridge rules, Pipes and Lambda filter criteria.
export { compilePattern, EventPattern } from './pattern.js';
export { PatternError } from './reader.js';
export { RuleSet } from './rule-set.js';
