// Timestamp formats of the Smithy protocols: epoch-seconds (JSON), date-time (XML, query), http-date (headers).
import type { TimestampFormat } from '../models/types.js';

export function formatTimestamp(value: Date | number | string, format: TimestampFormat): string | number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : Date.parse(value);
  switch (format) {
    case 'epoch-seconds':
      return ms / 1000;
    case 'http-date':
      return new Date(ms).toUTCString();
    case 'date-time':
      return new Date(ms).toISOString().replace('.000Z', 'Z');
  }
}

export function parseTimestamp(value: unknown, format: TimestampFormat): Date | undefined {
  let ms: number;
  // Rounded: fractional seconds times 1000 is often a hair below the whole millisecond (2197596865.798 s).
  if (typeof value === 'number') ms = Math.round(value * 1000);
  else if (typeof value === 'string') {
    if (format === 'epoch-seconds' && /^-?\d+(\.\d+)?$/.test(value)) ms = Math.round(Number(value) * 1000);
    else ms = Date.parse(value);
  } else return undefined;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
