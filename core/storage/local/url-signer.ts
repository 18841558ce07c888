import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 signatures of local storage's upload and download URLs. What is signed: the
 * method, the exact key, the expiry, and for uploads the byte limit and content type, for
 * downloads the filename and content type it is served with. Nothing else in the URL counts.
 */
export interface UploadGrant {
  method: 'PUT';
  key: string;
  expires: number;
  size: number;
  type: string;
}
export interface DownloadGrant {
  method: 'GET';
  key: string;
  expires: number;
  filename: string;
  type: string;
}
export type Grant = UploadGrant | DownloadGrant;

function canonical(grant: Grant): string {
  return grant.method === 'PUT'
    ? ['PUT', grant.key, grant.expires, grant.size, grant.type].join('\n')
    : ['GET', grant.key, grant.expires, grant.filename, grant.type].join('\n');
}

export class UrlSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, derived from the deployment secret: storage URLs and tokens never share one.
    this.key = createHmac('sha256', secret).update('docent/local-storage-urls/v1').digest();
  }

  sign(grant: Grant): string {
    return createHmac('sha256', this.key).update(canonical(grant)).digest('base64url');
  }

  verify(grant: Grant, signature: string): boolean {
    const expected = Buffer.from(this.sign(grant));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** The query string of a grant, signature included. */
  query(grant: Grant): URLSearchParams {
    const params = new URLSearchParams({ key: grant.key, expires: String(grant.expires), type: grant.type });
    if (grant.method === 'PUT') params.set('size', String(grant.size));
    else params.set('filename', grant.filename);
    params.set('signature', this.sign(grant));
    return params;
  }
}
