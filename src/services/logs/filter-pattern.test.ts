import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../core/errors.js';
import { compileFilterPattern } from './filter-pattern.js';

const matches = (pattern: string, message: string): boolean => compileFilterPattern(pattern)(message);

describe('text filter patterns', () => {
  it('matches everything when empty', () => {
    expect(matches('', 'anything')).toBe(true);
    expect(matches('""', 'anything')).toBe(true);
  });

  it('ANDs terms, case-sensitively', () => {
    expect(matches('ERROR timeout', 'ERROR: db timeout')).toBe(true);
    expect(matches('ERROR timeout', 'ERROR: db refused')).toBe(false);
    expect(matches('error', 'ERROR')).toBe(false);
  });

  it('matches quoted phrases as a whole', () => {
    expect(matches('"Exception thrown"', 'an Exception thrown here')).toBe(true);
    expect(matches('"Exception thrown"', 'Exception was thrown')).toBe(false);
  });

  it('excludes -terms and ORs ?terms', () => {
    expect(matches('ERROR -Retrying', 'ERROR Retrying')).toBe(false);
    expect(matches('ERROR -Retrying', 'ERROR final')).toBe(true);
    expect(matches('?ERROR ?WARN', 'WARN low disk')).toBe(true);
    expect(matches('?ERROR ?WARN', 'INFO ok')).toBe(false);
  });

  it('supports %regex% terms', () => {
    expect(matches('%ERR[0-9]+%', 'code ERR42')).toBe(true);
    expect(matches('%ERR[0-9]+%', 'code ERR')).toBe(false);
  });
});

describe('JSON filter patterns', () => {
  const msg = JSON.stringify({
    eventType: 'UpdateTrail',
    errorCode: 'AccessDenied',
    latency: 120,
    ok: true,
    nothing: null,
    user: { name: 'ana', roles: ['admin', 'dev'] },
  });

  it('compares strings, with * wildcards', () => {
    expect(matches('{ $.eventType = "UpdateTrail" }', msg)).toBe(true);
    expect(matches('{ $.eventType = UpdateTrail }', msg)).toBe(true);
    expect(matches('{ $.errorCode = "Access*" }', msg)).toBe(true);
    expect(matches('{ $.errorCode != "AccessDenied" }', msg)).toBe(false);
    expect(matches('{ $.user.roles[1] = "dev" }', msg)).toBe(true);
  });

  it('compares numbers', () => {
    expect(matches('{ $.latency > 100 }', msg)).toBe(true);
    expect(matches('{ $.latency <= 100 }', msg)).toBe(false);
    expect(matches('{ $.latency = 120 }', msg)).toBe(true);
    expect(matches('{ $.eventType > 1 }', msg)).toBe(false);
  });

  it('combines with && || and parentheses', () => {
    expect(matches('{ $.latency > 500 || $.user.name = "ana" }', msg)).toBe(true);
    expect(matches('{ ($.latency > 500 || $.ok IS TRUE) && $.nothing IS NULL }', msg)).toBe(true);
    expect(matches('{ $.latency > 100 && $.missing NOT EXISTS }', msg)).toBe(true);
    expect(matches('{ $.latency > 100 && $.ok IS FALSE }', msg)).toBe(false);
  });

  it('does not match text that is not JSON', () => {
    expect(matches('{ $.a = 1 }', 'plain text')).toBe(false);
    expect(matches('{ $.a = 1 }', 'INFO {"a": 1}')).toBe(false);
    expect(matches('{ $.a = 1 }', ' {"a": 1}')).toBe(true);
  });

  it('rejects patterns it cannot parse', () => {
    for (const bad of ['{ $.a = }', '{ $.a ~ 1 }', '{ a = 1 }', '"unclosed', '{ $.a = 1']) {
      expect(() => compileFilterPattern(bad), bad).toThrow(ServiceError);
    }
  });
});
