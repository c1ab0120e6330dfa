// Function code on disk: a zip is unpacked into its own folder per code version; a `hot-reload` bucket names a
// local folder that is used in place.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { invalidParameter } from './errors.js';

/** The bucket name that means "use this local folder" (S3Key is its absolute path). */
export const HOT_RELOAD_BUCKET = 'hot-reload';

/** Lambda's limit on a deployment package's unzipped size (250 MB). */
export const MAX_UNZIPPED_BYTES = 262144000;

export interface FunctionCode {
  /** The folder the function runs from (LAMBDA_TASK_ROOT). */
  readonly dir: string;
  readonly sha256: string;
  readonly size: number;
  /** True when dir is the user's own folder, which is never deleted. */
  readonly local: boolean;
  /** The zip as uploaded, kept beside dir for GetFunction's Code.Location (unset for a local folder). */
  readonly zip?: string;
}

/** Owns the temporary folders of unpacked code; remove() deletes them all. */
export class CodeStorage {
  private root: string | undefined;

  /** A folder for Switchyard's own runtime files (bootstraps). */
  runtimeDir(): string {
    const dir = join(this.rootDir(), 'runtime');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  unpack(zip: Uint8Array): FunctionCode {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(zip);
    } catch {
      throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
    }
    let unzipped = 0;
    for (const data of Object.values(files)) unzipped += data.length;
    if (unzipped > MAX_UNZIPPED_BYTES) {
      throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
    }
    const modes = unixModes(zip);
    const dir = mkdtempSync(join(this.rootDir(), 'code-'));
    for (const [name, data] of Object.entries(files)) {
      const rel = normalize(name);
      if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) {
        rmSync(dir, { recursive: true, force: true });
        throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
      }
      const target = join(dir, rel);
      if (name.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data);
      const mode = modes.get(name);
      chmodSync(target, mode !== undefined && mode !== 0 ? mode : 0o644);
    }
    const zipFile = `${dir}.zip`;
    writeFileSync(zipFile, zip);
    return {
      dir,
      sha256: createHash('sha256').update(zip).digest('base64'),
      size: zip.length,
      local: false,
      zip: zipFile,
    };
  }

  /** A local folder used in place (hot reload). */
  local(path: string): FunctionCode {
    if (!isAbsolute(path)) {
      throw invalidParameter(`The hot-reload S3Key must be an absolute folder path: ${path}`);
    }
    let ok = false;
    try {
      ok = statSync(path).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) throw invalidParameter(`The hot-reload folder does not exist: ${path}`);
    return { dir: path, sha256: createHash('sha256').update(path).digest('base64'), size: 0, local: true };
  }

  release(code: FunctionCode): void {
    if (!code.local) rmSync(code.dir, { recursive: true, force: true });
    if (code.zip) rmSync(code.zip, { force: true });
  }

  /** Deletes every folder this storage made. */
  removeAll(): void {
    if (this.root) rmSync(this.root, { recursive: true, force: true });
    this.root = undefined;
  }

  private rootDir(): string {
    this.root ??= mkdtempSync(join(tmpdir(), 'switchyard-lambda-'));
    return this.root;
  }
}

/** The Unix permission bits recorded in a zip's central directory (fflate does not report them). */
function unixModes(zip: Uint8Array): Map<string, number> {
  const modes = new Map<string, number>();
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end-of-central-directory record is within the last 64 KB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return modes;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  for (let n = 0; n < count && p + 46 <= zip.length; n++) {
    if (view.getUint32(p, true) !== 0x02014b50) break;
    const madeBy = view.getUint16(p + 4, true) >> 8;
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const external = view.getUint32(p + 38, true);
    const name = Buffer.from(zip.subarray(p + 46, p + 46 + nameLen)).toString('utf8');
    if (madeBy === 3) modes.set(name, (external >>> 16) & 0o777);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return modes;
}
