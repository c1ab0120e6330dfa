// Debian's AWS CLI v2 (/usr/bin/aws) and boto3 1.26 (/usr/lib/python3/dist-packages, for /usr/bin/python3): the
// clients that still speak awsQuery to SQS. The machine's pyenv `aws` and `python3` come first in PATH and speak
// JSON, so everything here names the Debian binaries and runs them in a clean environment.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type CommandResult, type RunOptions } from './run-command.js';

export const DEBIAN_AWS = '/usr/bin/aws';
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** Why the Debian AWS CLI cannot be used, or undefined when it can. */
export function debianAwsCliMissing(): string | undefined {
  return existsSync(DEBIAN_AWS) ? undefined : `${DEBIAN_AWS} is missing (apt-get install -y awscli)`;
}

/** Why Debian's boto3 cannot be used, or undefined when it can. */
export function debianBoto3Missing(): string | undefined {
  if (!existsSync(DEBIAN_PYTHON)) return `${DEBIAN_PYTHON} is missing`;
  const r = spawnSync(DEBIAN_PYTHON, ['-c', 'import boto3; print(boto3.__file__)'], {
    env: cleanEnv('/tmp'),
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.status !== 0) return `Debian's boto3 is missing (apt-get install -y python3-boto3): ${r.stderr.trim()}`;
  return undefined;
}

/** Prints why a suite is skipped, so a green run does not hide that it tested nothing. */
export function warnSkipped(suite: string, reason: string): void {
  console.warn(`[${suite}] SKIPPED: ${reason}`);
}

/** A minimal environment: no pyenv, no user site-packages, no config or credentials files, UTF-8 output. */
export function cleanEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
    PYTHONNOUSERSITE: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** A temporary HOME for the clients, removed by dispose(). */
export function tempHome(): { readonly path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), 'switchyard-clients-'));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

export interface CliResult extends CommandResult {
  /** stdout parsed as JSON when the command succeeded and printed something. */
  readonly json: unknown;
}

/** Runs `/usr/bin/aws --endpoint-url ENDPOINT --output json ...` for one Switchyard. */
export class DebianAwsCli {
  constructor(
    private readonly endpoint: string,
    private readonly home: string,
    private readonly extraEnv: NodeJS.ProcessEnv = {},
  ) {}

  async run(args: readonly string[], options: Omit<RunOptions, 'env'> = {}): Promise<CliResult> {
    const r = await runCommand(DEBIAN_AWS, ['--endpoint-url', this.endpoint, '--output', 'json', ...args], {
      timeoutMs: 120_000,
      ...options,
      env: { ...cleanEnv(this.home), ...this.extraEnv },
    });
    return { ...r, json: r.code === 0 ? parseJson(r.stdout) : undefined };
  }

  /** Runs a command that must succeed and returns its JSON output ({} when it printed nothing). */
  async ok<T = Record<string, unknown>>(args: readonly string[]): Promise<T> {
    const r = await this.run(args);
    if (r.code !== 0) {
      throw new Error(`aws ${args.join(' ')} exited ${String(r.code)}: ${r.stderr.trim()}`);
    }
    return (r.json ?? {}) as T;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A ClientError as our Python harness prints it. */
export interface Boto3Error {
  readonly code: string;
  readonly message: string;
  readonly status: number;
  readonly type: string;
  /** The botocore exception class, e.g. QueueDoesNotExist for a modeled error. */
  readonly exception: string;
}

/** Runs one Python scenario script with Debian's boto3; it prints one JSON document. */
export class DebianBoto3 {
  constructor(
    private readonly endpoint: string,
    private readonly home: string,
  ) {}

  async run<T>(script: string, args: Record<string, unknown> = {}, timeoutMs = 180_000): Promise<T> {
    const r = await runCommand(DEBIAN_PYTHON, [script, JSON.stringify(args)], {
      timeoutMs,
      env: { ...cleanEnv(this.home), SWITCHYARD_ENDPOINT: this.endpoint },
    });
    if (r.code !== 0 || r.timedOut) {
      throw new Error(`${script} exited ${String(r.code)}${r.timedOut ? ' (timed out)' : ''}: ${r.stderr.trim()}`);
    }
    return JSON.parse(r.stdout) as T;
  }
}
