// The stage cache (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html): when a
// stage's cache is enabled, methods with caching on (GET by default) answer from the cache for their TTL (300 s by
// default), keyed by the method and its cache key parameters; FlushStageCache empties it.
import type { MethodSetting, PatchOperation, Stage } from '@aws-sdk/client-api-gateway';
import type { HttpResponse } from '../../protocols/http.js';
import { badRequest } from './errors.js';

export const DEFAULT_CACHE_TTL = 300;
const MAX_CACHE_TTL = 3600;
export const CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];

/** The caching settings of one method: its own `resourcePath/METHOD` entry, else `*\/*`, else the defaults. */
export function cachingFor(stage: Stage, resourcePath: string, httpMethod: string): { enabled: boolean; ttl: number } {
  const key = `${resourcePath.replace(/^\//, '').replace(/\//g, '~1')}/${httpMethod}`;
  const own: MethodSetting | undefined = stage.methodSettings?.[key];
  const all: MethodSetting | undefined = stage.methodSettings?.['*/*'];
  const enabled = own?.cachingEnabled ?? all?.cachingEnabled ?? httpMethod === 'GET';
  const ttl = own?.cacheTtlInSeconds ?? all?.cacheTtlInSeconds ?? DEFAULT_CACHE_TTL;
  return { enabled, ttl };
}

/**
 * Applies `/RESOURCE/METHOD/caching/enabled|ttlInSeconds` patch operations to a stage's methodSettings and returns
 * the other operations. Other method settings (throttling, logging, metrics) are refused: they are not honoured.
 */
export function patchMethodSettings(stage: Stage, ops: readonly PatchOperation[] | undefined): PatchOperation[] {
  const rest: PatchOperation[] = [];
  for (const p of ops ?? []) {
    const m = /^\/([^/]+)\/([^/]+)\/(caching|throttling|logging|metrics)\/(.+)$/.exec(p.path ?? '');
    if (!m) {
      rest.push(p);
      continue;
    }
    const [, resource = '', method = '', group, name] = m;
    if (group !== 'caching' || (name !== 'enabled' && name !== 'ttlInSeconds')) {
      throw badRequest(`Switchyard does not implement the method setting ${group ?? ''}/${name ?? ''} yet`);
    }
    const key = `${resource}/${method}`;
    const settings: MethodSetting = { ...stage.methodSettings?.[key] };
    if (p.op === 'remove') {
      if (name === 'enabled') delete settings.cachingEnabled;
      else delete settings.cacheTtlInSeconds;
    } else if (name === 'enabled') {
      if (p.value !== 'true' && p.value !== 'false') throw badRequest(`Invalid boolean value '${p.value ?? ''}' for ${p.path ?? ''}`);
      settings.cachingEnabled = p.value === 'true';
    } else {
      const ttl = Number(p.value);
      if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_CACHE_TTL) throw badRequest(`Cache ttl must be between 0 and ${MAX_CACHE_TTL} seconds`);
      settings.cacheTtlInSeconds = ttl;
    }
    stage.methodSettings = { ...stage.methodSettings, [key]: settings };
  }
  return rest;
}

/** Cached responses by key, each until its TTL passes on the clock. */
export class StageCache {
  private readonly entries = new Map<string, { response: HttpResponse; until: number }>();

  get(key: string, now: number): HttpResponse | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.response;
  }

  set(key: string, response: HttpResponse, until: number): void {
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(key, { response, until });
  }

  /** Forgets one stage's entries (keys start with `API/STAGE/`). */
  flush(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
