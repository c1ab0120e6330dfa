// A small leveled logger writing one line per event to stderr (or a sink a test provides).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export class Logger {
  private readonly threshold: number;

  constructor(
    readonly level: LogLevel = 'info',
    private readonly sink: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  ) {
    this.threshold = RANK[level];
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.threshold;
  }

  debug(message: string): void {
    if (this.threshold <= RANK.debug) this.sink(`debug ${message}`);
  }

  info(message: string): void {
    if (this.threshold <= RANK.info) this.sink(message);
  }

  warn(message: string): void {
    if (this.threshold <= RANK.warn) this.sink(`warn ${message}`);
  }

  error(message: string, err?: unknown): void {
    if (this.threshold > RANK.error) return;
    const stack = err instanceof Error ? `\n${err.stack ?? err.message}` : err === undefined ? '' : ` ${String(err)}`;
    this.sink(`error ${message}${stack}`);
  }
}
