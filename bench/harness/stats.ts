// Latency summaries and number formatting shared by every suite.

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentiles of latencies in milliseconds; sorts its argument in place. */
export function summarize(latenciesMs: Float64Array): LatencySummary {
  const n = latenciesMs.length;
  if (n === 0) return { count: 0, p50: Number.NaN, p99: Number.NaN, mean: Number.NaN };
  latenciesMs.sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += latenciesMs[i] ?? 0;
  const at = (q: number): number => latenciesMs[Math.min(n - 1, Math.ceil(q * n) - 1)] ?? Number.NaN;
  return { count: n, p50: at(0.5), p99: at(0.99), mean: sum / n };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** A growable array of doubles, so that a few hundred thousand latencies cost no boxing. */
export class Samples {
  private data = new Float64Array(1 << 16);
  private size = 0;

  push(value: number): void {
    if (this.size === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.size++] = value;
  }

  get length(): number {
    return this.size;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.size);
  }
}

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
}

export function fmtMs(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return n < 10 ? n.toFixed(2) : n.toFixed(1);
}

export function fmtRatio(n: number): string {
  return Number.isFinite(n) ? `${n.toFixed(2)}x` : '–';
}

export function fmtPct(share: number): string {
  return Number.isFinite(share) ? `${Math.round(share * 100)}%` : '–';
}

export function fmtMB(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : '–';
}

/** A markdown table; every row must have as many cells as the header. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const sep = `|${header.map((_, i) => (i === 0 ? '---' : '--:')).map((s) => `${s}|`).join('')}`;
  return [line(header), sep, ...rows.map(line)].join('\n');
}
