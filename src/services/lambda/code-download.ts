// Downloads of function and layer code: GetFunction's Code.Location and GetLayerVersion's Content.Location point
// under /_aws/lambda-code/, where the zip is served as uploaded (a hot-reload folder is zipped as it is now).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import type { HttpResponse } from '../../protocols/http.js';
import type { FunctionCode } from './code.js';

export const CODE_DOWNLOAD_PREFIX = '/_aws/lambda-code/';

export interface CodeRef {
  readonly kind: 'functions' | 'layers';
  readonly account: string;
  readonly region: string;
  readonly name: string;
  /** A function version ($LATEST or a number) or a layer version number. */
  readonly version: string;
}

/** The URL a client downloads this code from. */
export function codeLocation(endpoint: string, ref: CodeRef): string {
  const parts = [ref.kind, ref.account, ref.region, ref.name, ref.version].map(encodeURIComponent);
  return `${endpoint}${CODE_DOWNLOAD_PREFIX}${parts.join('/')}`;
}

/** The code a download path names (path relative to the prefix or the whole path), or undefined. */
export function parseCodePath(path: string): CodeRef | undefined {
  const rest = path.startsWith(CODE_DOWNLOAD_PREFIX) ? path.slice(CODE_DOWNLOAD_PREFIX.length) : path.replace(/^\//, '');
  const parts = rest.split('/');
  if (parts.length !== 5) return undefined;
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [kind, account = '', region = '', name = '', version = ''] = decoded;
  if (kind !== 'functions' && kind !== 'layers') return undefined;
  return { kind, account, region, name, version };
}

/** The code's zip: the uploaded file, or the local folder zipped now. */
export function codeArchive(code: FunctionCode): Buffer {
  if (code.zip) return readFileSync(code.zip);
  const entries: Zippable = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const name = relative(code.dir, path).split(sep).join('/');
        entries[name] = [readFileSync(path), { os: 3, attrs: (0o100000 | (statSync(path).mode & 0o777)) << 16 }];
      }
    }
  };
  walk(code.dir);
  return Buffer.from(zipSync(entries));
}

export function zipResponse(body: Buffer): HttpResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/zip', 'content-length': String(body.length) },
    body,
  };
}

/** What S3 answers for a missing object, since Code.Location stands for an S3 URL. */
export function noSuchKey(): HttpResponse {
  return {
    status: 404,
    headers: { 'content-type': 'application/xml' },
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
  };
}
