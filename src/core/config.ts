// Switchyard's options, from the programmatic API, the command line and SWITCHYARD_* environment variables.
import type { Clock } from './clock.js';
import { LOG_LEVELS, type LogLevel } from './logging.js';

export interface SwitchyardOptions {
  /** TCP port; 0 picks a free one. Default 4566. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** Region for requests that carry none. Default us-east-1. */
  region?: string;
  /** Account for credentials that name none. Default 000000000000. */
  account?: string;
  logLevel?: LogLevel;
  /** Time source; tests pass a FakeClock. */
  clock?: Clock;
  /** Where log lines go; stderr by default. */
  logSink?: (line: string) => void;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly region: string;
  readonly account: string;
  readonly logLevel: LogLevel;
}

export const DEFAULTS: Config = {
  port: 4566,
  host: '127.0.0.1',
  region: 'us-east-1',
  account: '000000000000',
  logLevel: 'info',
};

export class ConfigError extends Error {}

export function resolveConfig(options: SwitchyardOptions): Config {
  const port = options.port ?? DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid port: ${String(port)}`);
  const account = options.account ?? DEFAULTS.account;
  if (!/^\d{12}$/.test(account)) throw new ConfigError(`invalid account (12 digits): ${account}`);
  const region = options.region ?? DEFAULTS.region;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new ConfigError(`invalid region: ${region}`);
  const logLevel = options.logLevel ?? DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`invalid log level: ${String(logLevel)}`);
  return { port, host: options.host ?? DEFAULTS.host, region, account, logLevel };
}

/** Reads SWITCHYARD_PORT, SWITCHYARD_HOST, SWITCHYARD_REGION, SWITCHYARD_ACCOUNT, SWITCHYARD_LOG_LEVEL. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): SwitchyardOptions {
  const options: SwitchyardOptions = {};
  if (env.SWITCHYARD_PORT) options.port = Number(env.SWITCHYARD_PORT);
  if (env.SWITCHYARD_HOST) options.host = env.SWITCHYARD_HOST;
  if (env.SWITCHYARD_REGION) options.region = env.SWITCHYARD_REGION;
  if (env.SWITCHYARD_ACCOUNT) options.account = env.SWITCHYARD_ACCOUNT;
  if (env.SWITCHYARD_LOG_LEVEL) options.logLevel = env.SWITCHYARD_LOG_LEVEL as LogLevel;
  return options;
}
