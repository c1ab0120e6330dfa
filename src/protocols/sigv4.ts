// Reads the SigV4 credential scope (AKID/DATE/REGION/SERVICE/aws4_request) from the Authorization header or a
// presigned URL's X-Amz-Credential. Signatures are not verified.
import type { HttpRequest } from './http.js';
import { header } from './http.js';

export interface CredentialScope {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

export function credentialScope(req: HttpRequest): CredentialScope | undefined {
  const auth = header(req, 'authorization');
  let credential: string | undefined;
  if (auth) {
    const i = auth.indexOf('Credential=');
    if (i >= 0) {
      const end = auth.indexOf(',', i);
      credential = auth.slice(i + 11, end < 0 ? undefined : end).trim();
    }
  } else if (req.rawQuery.includes('X-Amz-Credential=')) {
    const params = new URLSearchParams(req.rawQuery);
    credential = params.get('X-Amz-Credential') ?? undefined;
  }
  if (!credential) return undefined;
  // Hand-written: hot path (every request). AKID/DATE/REGION/SERVICE/aws4_request read by index, no split array.
  const s1 = credential.indexOf('/');
  const s2 = s1 < 0 ? -1 : credential.indexOf('/', s1 + 1);
  const s3 = s2 < 0 ? -1 : credential.indexOf('/', s2 + 1);
  const s4 = s3 < 0 ? -1 : credential.indexOf('/', s3 + 1);
  if (s4 < 0) return undefined;
  return { accessKeyId: credential.slice(0, s1), region: credential.slice(s2 + 1, s3), service: credential.slice(s3 + 1, s4) };
}

/** A 12-digit access key id names the account; anything else is the default account. */
export function accountFromAccessKey(accessKeyId: string | undefined, fallback: string): string {
  return accessKeyId && /^\d{12}$/.test(accessKeyId) ? accessKeyId : fallback;
}
