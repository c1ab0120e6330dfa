// ScheduleExpression of a rule ("Creating a rule that runs on a schedule"): rate(value unit) with minute(s), hour(s)
// or day(s), and cron(minutes hours day-of-month month day-of-week year) in UTC, where one of the two day fields must
// be `?`. The parsed schedule answers the next firing time after a given instant.
// Written here rather than with an npm cron parser: AWS's dialect (six fields with a year, `?` in one day field, `L`, `W`,
// `#`) is not the five- or six-field Unix dialect those parse, and Scheduler and Pipes will reuse this one.

export interface Schedule {
  /** The first firing strictly after `after` (ms since the epoch), or undefined when there is none. */
  next(after: number): number | undefined;
}

export class ScheduleError extends Error {}

const MINUTE = 60_000;
const RATE_UNITS: Readonly<Record<string, number>> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** How far ahead a cron schedule is searched for its next firing. */
const SEARCH_YEARS = 5;

export function parseSchedule(expression: string, start: number): Schedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    const singular = unit.replace(/s$/, '');
    if (value < 1 || (value === 1) !== (unit === singular)) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
    const period = value * (RATE_UNITS[singular] ?? MINUTE);
    return { next: (after) => start + (Math.floor((after - start) / period) + 1) * period };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return parseCron(cron[1] ?? '');
  throw new ScheduleError('Parameter ScheduleExpression is not valid.');
}

interface DayRule {
  readonly any: boolean;
  readonly values: ReadonlySet<number>;
  /** Day of month: `L` (last day); day of week: `nL` (last n-day of the month). */
  readonly last: ReadonlySet<number> | boolean;
  /** Day of week `n#k`: the k-th n-day of the month, as [n, k]. */
  readonly nth: readonly (readonly [number, number])[];
}

function parseCron(body: string): Schedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
  const [min = '', hour = '', dom = '', month = '', dow = '', year = ''] = fields;
  if ((dom === '?') === (dow === '?')) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
  const minutes = parseField(min, 0, 59);
  const hours = parseField(hour, 0, 23);
  const months = parseField(month, 1, 12, MONTHS, 1);
  const years = parseField(year, 1970, 2199);
  const domRule = parseDom(dom);
  const dowRule = parseDow(dow);
  return {
    next: (after) => {
      const from = new Date(Math.floor(after / MINUTE) * MINUTE + MINUTE);
      const limit = from.getUTCFullYear() + SEARCH_YEARS;
      const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
      while (day.getUTCFullYear() <= limit) {
        const y = day.getUTCFullYear();
        const m = day.getUTCMonth() + 1;
        if (years.has(y) && months.has(m) && dayMatches(day, domRule, dowRule)) {
          for (const h of [...hours].sort((a, b) => a - b)) {
            for (const mm of [...minutes].sort((a, b) => a - b)) {
              const t = Date.UTC(y, m - 1, day.getUTCDate(), h, mm);
              if (t >= from.getTime()) return t;
            }
          }
        }
        day.setUTCDate(day.getUTCDate() + 1);
      }
      return undefined;
    },
  };
}

function dayMatches(day: Date, dom: DayRule, dow: DayRule): boolean {
  const date = day.getUTCDate();
  const weekday = day.getUTCDay() + 1;
  const daysInMonth = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
  if (!dom.any) {
    if (dom.last === true) return date === daysInMonth;
    return dom.values.has(date);
  }
  if (!dow.any) {
    if (dow.values.has(weekday)) return true;
    if (dow.last instanceof Set && dow.last.has(weekday) && date + 7 > daysInMonth) return true;
    return dow.nth.some(([n, k]) => n === weekday && Math.ceil(date / 7) === k);
  }
  return true;
}

const anyDay = (): DayRule => ({ any: true, values: new Set(), last: false, nth: [] });

function parseDom(text: string): DayRule {
  if (text === '?' || text === '*') return anyDay();
  if (text === 'L') return { any: false, values: new Set(), last: true, nth: [] };
  return { any: false, values: parseField(text, 1, 31), last: false, nth: [] };
}

function parseDow(text: string): DayRule {
  if (text === '?' || text === '*') return anyDay();
  const values = new Set<number>();
  const last = new Set<number>();
  const nth: [number, number][] = [];
  for (const part of text.split(',')) {
    const hash = /^(\w+)#([1-5])$/.exec(part);
    const lastDay = /^(\w+)L$/.exec(part);
    if (hash) nth.push([single(hash[1] ?? '', 1, 7, DAYS, 1), Number(hash[2])]);
    else if (lastDay) last.add(single(lastDay[1] ?? '', 1, 7, DAYS, 1));
    else for (const v of parseField(part, 1, 7, DAYS, 1)) values.add(v);
  }
  return { any: false, values, last, nth };
}

function single(text: string, lo: number, hi: number, names?: readonly string[], base = 0): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  const n = named >= 0 ? named + base : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < lo || n > hi) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
  return n;
}

/** A field of `*`, values, ranges `a-b`, steps `x/n` and lists. */
function parseField(text: string, lo: number, hi: number, names?: readonly string[], base = 0): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
    let from: number;
    let to: number;
    if (range === '*') {
      from = lo;
      to = hi;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = single(a, lo, hi, names, base);
      to = single(b, lo, hi, names, base);
    } else {
      from = single(range, lo, hi, names, base);
      to = stepText === undefined ? from : hi;
    }
    if (from > to) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}
