// Rows and tables shared by the SNS and EventBridge suites: one measured window per server, a ratio row
// Switchyard / canned per operation. (The SQS suite keeps its own copy.)
import type { MeasuredLoad } from './processes.js';
import { fmtInt, fmtMs, fmtPct, fmtRatio, markdownTable } from './stats.js';

export interface Row {
  operation: string;
  server: string;
  /** What one request stands for (events in a PutEvents of 10: 10). */
  unitsPerRequest: number;
  load?: MeasuredLoad;
  error?: string;
  note?: string;
}

export function perSecond(n: number, load: MeasuredLoad): number {
  return (n * 1000) / load.result.elapsedMs;
}

export function cpuPerRequest(load: MeasuredLoad): number {
  return load.serverCpuUs / load.result.requests;
}

export function measuredRow(operation: string, server: string, unitsPerRequest: number, load: MeasuredLoad): Row {
  const r = load.result;
  const row: Row = { operation, server, unitsPerRequest, load };
  if (r.requests === 0) row.error = r.firstError ?? 'no request completed';
  else if (r.errors >= r.requests) row.error = r.firstError ?? 'every request failed';
  else if (r.errors > 0) row.note = `${r.errors} errors, first: ${r.firstError ?? '?'}`;
  return row;
}

export async function guard(operation: string, server: string, unitsPerRequest: number, work: () => Promise<Row>): Promise<Row> {
  try {
    return await work();
  } catch (err) {
    return { operation, server, unitsPerRequest, error: (err as Error).message };
  }
}

export function describeLoad(row: Row): string {
  if (row.error !== undefined || !row.load) return `  ${row.server.padEnd(12)} ERROR ${row.error ?? ''}`;
  const l = row.load;
  const r = l.result;
  return (
    `  ${row.server.padEnd(12)} ${fmtInt(perSecond(r.requests, l)).padStart(8)} req/s ` +
    `p50 ${fmtMs(r.p50Ms).padStart(6)} ms  p99 ${fmtMs(r.p99Ms).padStart(6)} ms  ` +
    `server CPU ${fmtInt(cpuPerRequest(l)).padStart(5)} µs/req  generator CPU ${fmtInt(r.generatorCpuUs / r.requests)} µs/req  ` +
    `others ${fmtPct(l.othersShare)} of the machine` +
    (row.note ? `\n    note: ${row.note}` : '')
  );
}

export function othersNote(rows: readonly Row[]): string {
  const shares = rows.map((r) => r.load?.othersShare ?? Number.NaN).filter(Number.isFinite);
  if (shares.length === 0) return '';
  return `\n\nOther processes used ${fmtPct(Math.min(...shares))}–${fmtPct(Math.max(...shares))} of the machine's CPU during these windows.`;
}

/** req/s, units/s (`unitsLabel`), latency and server CPU per request, with a ratio row per operation. */
export function throughputTable(rows: readonly Row[], unitsLabel: string): string {
  const header = ['Operation', 'Server', 'req/s', `${unitsLabel}/s`, 'p50 ms', 'p99 ms', 'server CPU µs/req'];
  const out: string[][] = [];
  const byOp = new Map<string, Row[]>();
  for (const r of rows) byOp.set(r.operation, [...(byOp.get(r.operation) ?? []), r]);
  const units = (r: Row, l: MeasuredLoad): number => perSecond(l.result.requests * r.unitsPerRequest, l);
  for (const [operation, group] of byOp) {
    for (const r of group) {
      if (r.error !== undefined || !r.load) {
        out.push([operation, r.server, `error: ${r.error?.slice(0, 160) ?? '?'}`, '', '', '', '']);
        continue;
      }
      const l = r.load;
      out.push([
        operation,
        r.server,
        fmtInt(perSecond(l.result.requests, l)),
        fmtInt(units(r, l)),
        fmtMs(l.result.p50Ms),
        fmtMs(l.result.p99Ms),
        fmtInt(cpuPerRequest(l)),
      ]);
    }
    const syRow = group.find((r) => r.server === 'switchyard');
    const cannedRow = group.find((r) => r.server === 'canned');
    const sy = syRow?.load;
    const canned = cannedRow?.load;
    if (syRow && cannedRow && sy && canned && syRow.error === undefined && cannedRow.error === undefined) {
      out.push([
        operation,
        '**ratio**',
        fmtRatio(perSecond(sy.result.requests, sy) / perSecond(canned.result.requests, canned)),
        fmtRatio(units(syRow, sy) / units(cannedRow, canned)),
        fmtRatio(sy.result.p50Ms / canned.result.p50Ms),
        fmtRatio(sy.result.p99Ms / canned.result.p99Ms),
        `**${fmtRatio(cpuPerRequest(sy) / cpuPerRequest(canned))}**`,
      ]);
    }
  }
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.operation}, ${r.server}: ${r.note ?? ''}`);
  return markdownTable(header, out) + (notes.length ? `\n\n${notes.join('\n')}` : '');
}

export async function resetSwitchyard(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/_switchyard/reset`, { method: 'POST' });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`reset answered ${res.status}`);
}

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

