// In-process matching throughput on the CityLots-like data set: events (JSON text, parsed as event-ruler parses
// them) matched against 10, 100 and 1,000 rules of each operator kind by the RuleSet of the pattern engine.
import { compilePattern, RuleSet } from '../../src/services/eventbridge/pattern/index.js';
import { EVENT_RULER_EPS, generateCityLots, OPERATOR_KINDS, rulePatterns, type CityLots, type OperatorKind } from './citylots.js';

export interface CityLotsRow {
  readonly kind: OperatorKind;
  readonly rules: number;
  /** JSON text in, matches out (what event-ruler's figures measure). */
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Already parsed events in, matches out (what PutEvents pays: its events are objects already). */
  readonly parsedEventsPerSecond: number;
  readonly matchesPerEvent: number;
}

export interface CityLotsReport {
  readonly features: number;
  readonly averageBytes: number;
  readonly generationSeconds: number;
  readonly rows: readonly CityLotsRow[];
}

export const RULE_COUNTS = [10, 100, 1000] as const;
/** Parsed events kept for the parsed-input figure (all 200,000 parsed would take about a gigabyte). */
const POOL = 20_000;

/** Checks the RuleSet against every pattern in turn on a sample: the benchmark measures a correct matcher. */
function verify(set: RuleSet<number>, patterns: readonly ReturnType<typeof compilePattern>[], data: CityLots, kind: OperatorKind): void {
  for (let i = 0; i < Math.min(500, data.lines.length); i++) {
    const event: unknown = JSON.parse(data.lines[i] ?? '{}');
    const got = set.matching(event).sort((a, b) => a - b);
    const want: number[] = [];
    patterns.forEach((p, id) => {
      if (p.matches(event)) want.push(id);
    });
    if (got.length !== want.length || got.some((id, k) => id !== want[k])) {
      throw new Error(`${kind}: RuleSet found [${got.join(',')}], patterns one by one [${want.join(',')}] on event ${i}`);
    }
  }
}

export function runCityLots(opts: { features: number; budgetMs: number; log: (line: string) => void }): CityLotsReport {
  const started = performance.now();
  const data = generateCityLots(opts.features);
  const generationSeconds = (performance.now() - started) / 1000;
  opts.log(
    `\nCityLots-like data set: ${data.lines.length.toLocaleString('en-US')} features, ${Math.round(data.bytes / data.lines.length)} bytes each on average, generated in ${generationSeconds.toFixed(1)} s`,
  );
  const rows: CityLotsRow[] = [];
  const pool: unknown[] = data.lines.slice(0, Math.min(POOL, data.lines.length)).map((line) => JSON.parse(line));
  for (const kind of OPERATOR_KINDS) {
    for (const count of RULE_COUNTS) {
      const patterns = rulePatterns(kind, count, data).map((text) => compilePattern(text));
      const set = new RuleSet<number>();
      patterns.forEach((p, id) => set.add(id, p));
      verify(set, patterns, data, kind);
      // warm-up
      for (let i = 0; i < Math.min(5000, data.lines.length); i++) set.matching(JSON.parse(data.lines[i] ?? '{}'));
      let n = 0;
      let matches = 0;
      const t0 = performance.now();
      const deadline = t0 + opts.budgetMs;
      const lines = data.lines;
      while (n < lines.length) {
        matches += set.matching(JSON.parse(lines[n] ?? '{}')).length;
        n++;
        if ((n & 1023) === 0 && performance.now() > deadline) break;
      }
      const seconds = (performance.now() - t0) / 1000;
      // The same rule set over already parsed events, cycling through a pool of them.
      let m = 0;
      const t1 = performance.now();
      const parsedDeadline = t1 + opts.budgetMs;
      while (m < lines.length) {
        set.matching(pool[m % pool.length]);
        m++;
        if ((m & 1023) === 0 && performance.now() > parsedDeadline) break;
      }
      const parsedSeconds = (performance.now() - t1) / 1000;
      const row: CityLotsRow = {
        kind,
        rules: count,
        events: n,
        seconds,
        eventsPerSecond: n / seconds,
        parsedEventsPerSecond: m / parsedSeconds,
        matchesPerEvent: matches / n,
      };
      opts.log(
        `  ${kind.padEnd(12)} ${String(count).padStart(5)} rules: ${Math.round(row.eventsPerSecond).toLocaleString('en-US').padStart(9)} events/s from JSON text, ` +
          `${Math.round(row.parsedEventsPerSecond).toLocaleString('en-US').padStart(9)} parsed ` +
          `(${n.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s, ${row.matchesPerEvent.toFixed(2)} matches/event; event-ruler ${EVENT_RULER_EPS[kind].toLocaleString('en-US')})`,
      );
      rows.push(row);
    }
  }
  return { features: data.lines.length, averageBytes: data.bytes / data.lines.length, generationSeconds, rows };
}

/** JSON.parse alone over the same lines: the floor under every row above. */
export function parseOnlyRate(features: number, budgetMs: number): number {
  const data = generateCityLots(Math.min(features, 50_000));
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < budgetMs) {
    JSON.parse(data.lines[n % data.lines.length] ?? '{}');
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}
