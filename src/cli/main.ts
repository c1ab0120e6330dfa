#!/usr/bin/env node
// The `switchyard` command: starts the server and stops it cleanly on Ctrl-C or SIGTERM.
import { parseArgs } from 'node:util';
import { ConfigError, DEFAULTS, optionsFromEnv, type SwitchyardOptions } from '../core/config.js';
import type { LogLevel } from '../core/logging.js';
import { Switchyard } from '../server/switchyard.js';

const HELP = `Usage: switchyard [options]

A local cloud for AWS application integration, on one port.

Options:
  -p, --port <n>        TCP port (default ${DEFAULTS.port}; 0 picks a free one)   env SWITCHYARD_PORT
  -H, --host <addr>     address to bind (default ${DEFAULTS.host})               env SWITCHYARD_HOST
  -r, --region <name>   default region (default ${DEFAULTS.region})              env SWITCHYARD_REGION
  -a, --account <id>    default account, 12 digits (default ${DEFAULTS.account}) env SWITCHYARD_ACCOUNT
  -l, --log-level <l>   debug, info, warn, error or silent (default ${DEFAULTS.logLevel})  env SWITCHYARD_LOG_LEVEL
  -h, --help            show this help
  -v, --version         show the version

Command-line options win over environment variables.`;

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string', short: 'H' },
        region: { type: 'string', short: 'r' },
        account: { type: 'string', short: 'a' },
        'log-level': { type: 'string', short: 'l' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`switchyard: ${(err as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (values.version) {
    process.stdout.write('0.1.0\n');
    return 0;
  }
  const options: SwitchyardOptions = optionsFromEnv(process.env);
  if (typeof values.port === 'string') options.port = Number(values.port);
  if (typeof values.host === 'string') options.host = values.host;
  if (typeof values.region === 'string') options.region = values.region;
  if (typeof values.account === 'string') options.account = values.account;
  if (typeof values['log-level'] === 'string') options.logLevel = values['log-level'] as LogLevel;

  let sy: Switchyard;
  try {
    sy = new Switchyard(options);
    await sy.start();
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : (err as Error).message;
    process.stderr.write(`switchyard: ${message}\n`);
    return 1;
  }
  const services = Object.keys(sy.services()).join(', ');
  process.stdout.write(`Switchyard ready on ${sy.endpoint} (region ${sy.config.region}; services: ${services})\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sy.stop();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`switchyard: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
