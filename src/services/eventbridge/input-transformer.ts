// What a target receives: the event, a constant Input, the part InputPath selects, or an InputTransformer's template
// filled from InputPathsMap. Template rules ("Transforming target input"): a template that is JSON takes a placeholder
// in quotes as string content (escaped) and one outside quotes as a JSON value; any other template is text, and takes
// string values as they are.
import type { InputTransformer } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../core/errors.js';

/** Placeholders EventBridge defines; InputPathsMap may not use these names. */
const PREDEFINED = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
];
const MAX_PATHS = 100;
const PATH_KEY = /^[A-Za-z0-9_-]+$/;

export interface TransformContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  readonly ingestionTime: string;
}

const validation = (message: string): ServiceError => new ServiceError('ValidationException', message, { messageMember: 'message' });

/** Selects a value with the JSONPath subset EventBridge supports (`$`, `.name`, `['name']`, `[index]`). */
export function selectPath(root: unknown, path: string): unknown {
  const steps = parsePath(path);
  if (!steps) return undefined;
  let current: unknown = root;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

function parsePath(path: string): (string | number)[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: (string | number)[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      if (j === i + 1) return undefined;
      steps.push(path.slice(i + 1, j));
      i = j;
    } else if (path[i] === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) return undefined;
      const inner = path.slice(i + 1, end);
      if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else if (/^'.*'$/.test(inner) || /^".*"$/.test(inner)) steps.push(inner.slice(1, -1));
      else return undefined;
      i = end + 1;
    } else {
      return undefined;
    }
  }
  return steps;
}

export function checkInputPath(path: string, targetId: string): void {
  if (!parsePath(path)) throw validation(`InputPath for target ${targetId} is not a valid JSON path.`);
}

/** PutTargets' checks of an InputTransformer. */
export function checkTransformer(t: InputTransformer, targetId: string): void {
  if (t.InputTemplate === undefined || t.InputTemplate === null) {
    throw validation(`1 validation error detected: Value null at 'targets.1.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must not be null`);
  }
  const paths = t.InputPathsMap ?? {};
  const keys = Object.keys(paths);
  if (keys.length > MAX_PATHS) throw validation(`InputPathsMap for target ${targetId} has more than ${MAX_PATHS} entries.`);
  for (const key of keys) {
    if (PREDEFINED.includes(key) || key.startsWith('aws.events.')) {
      throw validation(`InputTransformer for target ${targetId} contains reserved key ${key} in InputPathsMap.`);
    }
    if (!PATH_KEY.test(key)) throw validation(`InputPathsMap key ${key} for target ${targetId} is not valid.`);
    const path = paths[key] ?? '';
    if (!parsePath(path)) throw validation(`Target ${targetId} has an invalid InputPathsMap value ${path} for key ${key}.`);
  }
  if (isJsonTemplate(t.InputTemplate)) {
    const probe = fill(t.InputTemplate, true, (_name, quoted) => (quoted ? 'x' : 'null'), paths);
    try {
      JSON.parse(probe);
    } catch {
      throw validation(`InputTemplate for target ${targetId} contains invalid JSON.`);
    }
  }
}

function isJsonTemplate(template: string): boolean {
  const first = template.trimStart()[0];
  return first === '{' || first === '[';
}

/**
 * Replaces the placeholders of a template; `value(name, quoted)` gives each one's text. Only names defined in
 * InputPathsMap or predefined are placeholders; in JSON mode, `quoted` tells whether the placeholder sits in a string.
 */
function fill(
  template: string,
  json: boolean,
  value: (name: string, quoted: boolean) => string,
  paths: Record<string, string>,
): string {
  let out = '';
  let inString = false;
  let i = 0;
  while (i < template.length) {
    const c = template[i] ?? '';
    if (c === '<') {
      const end = template.indexOf('>', i + 1);
      const name = end > 0 ? template.slice(i + 1, end) : '';
      if (end > 0 && (Object.hasOwn(paths, name) || PREDEFINED.includes(name))) {
        out += value(name, json && inString);
        i = end + 1;
        continue;
      }
    }
    if (json) {
      if (c === '\\' && inString) {
        out += c + (template[i + 1] ?? '');
        i += 2;
        continue;
      }
      if (c === '"') inString = !inString;
    }
    out += c;
    i++;
  }
  return out;
}

/** The target's input for one event, as text. */
export function transformInput(
  transformer: InputTransformer,
  event: Readonly<Record<string, unknown>>,
  ctx: TransformContext,
): string {
  const paths = transformer.InputPathsMap ?? {};
  const template = transformer.InputTemplate ?? '';
  const json = isJsonTemplate(template);
  const valueOf = (name: string): unknown => {
    switch (name) {
      case 'aws.events.rule-arn':
        return ctx.ruleArn;
      case 'aws.events.rule-name':
        return ctx.ruleName;
      case 'aws.events.event.ingestion-time':
        return ctx.ingestionTime;
      case 'aws.events.event': {
        const { detail: _detail, ...rest } = event;
        return rest;
      }
      case 'aws.events.event.json':
        return event;
      default:
        return selectPath(event, paths[name] ?? '');
    }
  };
  return fill(
    template,
    json,
    (name, quoted) => {
      const v = valueOf(name);
      if (json) {
        if (quoted) {
          if (v === undefined) return '';
          const text = typeof v === 'string' ? v : JSON.stringify(v);
          return JSON.stringify(text).slice(1, -1);
        }
        return v === undefined ? 'null' : JSON.stringify(v);
      }
      if (v === undefined) return '';
      return typeof v === 'string' ? v : JSON.stringify(v);
    },
    paths,
  );
}
