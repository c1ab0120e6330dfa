// The runtimes Lambda knows, and how Switchyard starts each one here: nodejs* on the local node with our own
// bootstrap, python3.* on the local python3 with our own bootstrap, provided.* as the user's `bootstrap` file.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionErrorBody } from './runtime/environment.js';
import { NODE_BOOTSTRAP } from './runtime/node-bootstrap.js';
import { PYTHON_BOOTSTRAP } from './runtime/python-bootstrap.js';

export type RuntimeFamily = 'nodejs' | 'python' | 'provided' | 'other';

/** Runtimes accepted for new functions (the Lambda runtime list; deprecated ones are refused). */
export const SUPPORTED_RUNTIMES: readonly string[] = [
  'nodejs18.x',
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'python3.14',
  'provided.al2',
  'provided.al2023',
  'java8.al2',
  'java11',
  'java17',
  'java21',
  'java25',
  'dotnet8',
  'dotnet10',
  'ruby3.2',
  'ruby3.3',
  'ruby3.4',
];

/** Runtimes Lambda has retired for creating or updating functions. */
export const DEPRECATED_RUNTIMES: readonly string[] = [
  'nodejs',
  'nodejs4.3',
  'nodejs4.3-edge',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'nodejs16.x',
  'python2.7',
  'python3.6',
  'python3.7',
  'python3.8',
  'java8',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'dotnet6',
  'dotnet7',
  'ruby2.5',
  'ruby2.7',
  'go1.x',
  'provided',
];

export function familyOf(runtime: string | undefined): RuntimeFamily {
  if (!runtime) return 'other';
  if (runtime.startsWith('nodejs')) return 'nodejs';
  if (runtime.startsWith('python')) return 'python';
  if (runtime.startsWith('provided')) return 'provided';
  return 'other';
}

export interface RuntimeCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly unavailable?: FunctionErrorBody;
}

/** Finds interpreters once per Switchyard and writes the bootstraps into the runtime folder. */
export class RuntimeLocator {
  private python: string | null | undefined;
  private written = false;

  constructor(private readonly runtimeDir: () => string) {}

  /** `opt` is the folder of the function's layers, where a custom runtime's bootstrap may also be. */
  command(runtime: string | undefined, taskRoot: string, memorySize: number, opt?: string): RuntimeCommand {
    const family = familyOf(runtime);
    if (family === 'nodejs') {
      const heap = Math.max(32, Math.floor(memorySize * 0.9));
      return {
        command: process.execPath,
        args: [`--max-old-space-size=${heap}`, this.bootstrap('node-bootstrap.mjs')],
      };
    }
    if (family === 'python') {
      const python = this.findPython();
      if (!python) {
        return unavailable(`Switchyard cannot run ${runtime}: no python3 interpreter was found on the PATH.`);
      }
      return { command: python, args: ['-u', this.bootstrap('python_bootstrap.py')] };
    }
    if (family === 'provided') {
      const own = join(taskRoot, 'bootstrap');
      const layered = opt !== undefined ? join(opt, 'bootstrap') : undefined;
      const file = !existsSync(own) && layered !== undefined && existsSync(layered) ? layered : own;
      if (!existsSync(file)) {
        const tried = layered !== undefined ? `${own} ${layered}` : own;
        return unavailable(`Couldn't find valid bootstrap(s): [${tried}]`, 'Runtime.InvalidEntrypoint');
      }
      try {
        accessSync(file, constants.X_OK);
      } catch {
        return unavailable(`The bootstrap file is not executable: ${file}`, 'Runtime.InvalidEntrypoint');
      }
      return { command: file, args: [] };
    }
    return unavailable(
      `Switchyard cannot run the ${runtime ?? 'unknown'} runtime: only nodejs*, python3.* and provided.* run here.`,
    );
  }

  /** LAMBDA_RUNTIME_DIR. */
  dir(): string {
    return this.runtimeDir();
  }

  private bootstrap(name: string): string {
    const dir = this.runtimeDir();
    if (!this.written) {
      writeFileSync(join(dir, 'node-bootstrap.mjs'), NODE_BOOTSTRAP);
      writeFileSync(join(dir, 'python_bootstrap.py'), PYTHON_BOOTSTRAP);
      this.written = true;
    }
    return join(dir, name);
  }

  /** The real interpreter path (not a version manager's shim, which needs the user's shell environment). */
  private findPython(): string | null {
    if (this.python !== undefined) return this.python;
    const probe = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
      encoding: 'utf8',
      timeout: 5000,
    });
    const path = probe.status === 0 ? probe.stdout.trim() : '';
    this.python = path || null;
    return this.python;
  }

  /** Forget the bootstraps written (their folder was removed). */
  forget(): void {
    this.written = false;
  }
}

function unavailable(errorMessage: string, errorType = 'Runtime.Unavailable'): RuntimeCommand {
  return { command: '', args: [], unavailable: { errorType, errorMessage } };
}
