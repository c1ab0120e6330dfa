// Update* operations take JSON-Patch-like operations (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html):
// `/name` for a scalar, `/variables/KEY` for a map entry, `/binaryMediaTypes/image~1png` for a list entry (`~1` is `/`).
import type { PatchOperation } from '@aws-sdk/client-api-gateway';
import { badRequest } from './errors.js';

export type PatchKind = 'string' | 'boolean' | 'number' | 'stringMap' | 'booleanMap' | 'stringList';

/** Member name -> how a patch treats it. */
export type PatchSpec = Readonly<Record<string, PatchKind>>;

const unescape = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

function invalidPath(spec: PatchSpec, op: string, path: string): Error {
  const paths = Object.entries(spec).map(([k, kind]) => (kind.endsWith('Map') || kind === 'stringList' ? `/${k}/*` : `/${k}`));
  return badRequest(`Invalid patch path '${path}' specified for op '${op}'. Must be one of: [${paths.join(', ')}]`);
}

function scalar(kind: PatchKind, value: string | undefined, path: string): unknown {
  if (value === undefined) return undefined;
  if (kind === 'boolean') {
    if (value !== 'true' && value !== 'false') throw badRequest(`Invalid boolean value '${value}' for ${path}`);
    return value === 'true';
  }
  if (kind === 'number') {
    const n = Number(value);
    if (!/^-?\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw badRequest(`Invalid number value '${value}' for ${path}`);
    return n;
  }
  return value;
}

/** Applies the operations to a copy of target and returns it; the caller validates the result and stores it. */
export function applyPatch<T extends object>(target: T, ops: readonly PatchOperation[] | undefined, spec: PatchSpec): T {
  const out = structuredClone(target) as Record<string, unknown>;
  for (const p of ops ?? []) {
    const op = p.op ?? '';
    const path = p.path ?? '';
    if (!['add', 'remove', 'replace'].includes(op)) {
      throw badRequest(`Invalid patch operation specified. Must be one of: [add, remove, replace]`);
    }
    const parts = path.split('/').slice(1);
    const member = parts[0] ?? '';
    const kind = spec[member];
    if (!path.startsWith('/') || kind === undefined) throw invalidPath(spec, op, path);
    if (kind === 'stringMap' || kind === 'booleanMap' || kind === 'stringList') {
      const key = parts.length > 1 ? unescape(parts.slice(1).join('/')) : undefined;
      if (kind === 'stringList') {
        const list = Array.isArray(out[member]) ? (out[member] as string[]) : [];
        if (key === undefined) throw invalidPath(spec, op, path);
        if (op === 'remove') out[member] = list.filter((v) => v !== key);
        else if (!list.includes(key)) out[member] = [...list, key];
        continue;
      }
      const map = { ...((out[member] as Record<string, unknown> | undefined) ?? {}) };
      if (key === undefined || key === '') {
        if (op !== 'remove') throw invalidPath(spec, op, path);
        delete out[member];
        continue;
      }
      if (op === 'remove') delete map[key];
      else map[key] = kind === 'booleanMap' ? scalar('boolean', p.value ?? 'false', path) : (p.value ?? '');
      out[member] = map;
      continue;
    }
    if (parts.length !== 1) throw invalidPath(spec, op, path);
    if (op === 'remove') delete out[member];
    else out[member] = scalar(kind, p.value, path);
  }
  return out as T;
}
