// The `switchyard` command: help, startup line, clean stop on SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const NODE_ARGS = ['--import', 'tsx', MAIN];

test('--help lists the options and their environment variables', () => {
  const r = spawnSync(process.execPath, [...NODE_ARGS, '--help'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  for (const word of ['--port', '--host', '--region', '--account', '--log-level', 'SWITCHYARD_PORT', 'SWITCHYARD_LOG_LEVEL']) {
    expect(r.stdout).toContain(word);
  }
});

test('a bad option exits 2 with the usage', () => {
  const r = spawnSync(process.execPath, [...NODE_ARGS, '--frobnicate'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('Usage');
});

test('an invalid account is refused', () => {
  const r = spawnSync(process.execPath, [...NODE_ARGS, '--port', '0', '--account', '12'], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('invalid account');
});

test('starts, prints one ready line, serves health, stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [...NODE_ARGS], {
    env: { ...process.env, SWITCHYARD_PORT: '0', SWITCHYARD_REGION: 'eu-central-1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  expect(line).toMatch(/^Switchyard ready on http:\/\/127\.0\.0\.1:\d+ \(region eu-central-1; services: .*sqs/);
  const endpoint = /http:\/\/[^ ]+/.exec(line)?.[0] ?? '';
  const res = await fetch(`${endpoint}/_switchyard/health`);
  expect(res.status).toBe(200);
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  expect(code).toBe(0);
});
