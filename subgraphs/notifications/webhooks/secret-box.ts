import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { webhookSecretKeyRing, type WebhookSecretKey } from '../../../core/config/config';

/** A stored webhook secret that cannot be opened; the message never contains the secret. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Webhook signing secrets at rest: AES-256-GCM, a fresh 12-byte IV per secret, the endpoint's
 * organization id as additional authenticated data (a ciphertext copied into another
 * organization's row does not open). Stored as `v1.<keyId>.<iv>.<tag>.<ciphertext>`
 * (base64url), so rows name the key that sealed them: the first configured key seals, every
 * configured key opens (`WEBHOOK_SECRET_KEYS`).
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  constructor(private readonly ring: readonly WebhookSecretKey[]) {
    if (!ring.length) throw new SecretBoxError('a secret box needs at least one key');
    this.keys = new Map(ring.map((k) => [k.id, k.key]));
  }

  /** The box of a loaded config's `WEBHOOK_SECRET_KEYS`. */
  static fromKeys(webhookSecretKeys: string): SecretBox {
    return new SecretBox(webhookSecretKeyRing(webhookSecretKeys));
  }

  /** True when `stored` is in the sealed format (whatever its key), false for a plaintext row. */
  static isSealed(stored: string): boolean {
    return stored.startsWith(`${VERSION}.`);
  }

  seal(plaintext: string, organizationId: string): string {
    const { id, key } = this.ring[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(organizationId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, id, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(stored: string, organizationId: string): string {
    const parts = stored.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION)
      throw new SecretBoxError(`not a ${VERSION} sealed webhook secret`);
    const [, keyId, iv, tag, ciphertext] = parts.map((p, i) =>
      i < 2 ? p : Buffer.from(p, 'base64url'),
    ) as [string, string, Buffer, Buffer, Buffer];
    const key = this.keys.get(keyId);
    if (!key)
      throw new SecretBoxError(
        `sealed with key "${keyId}", which is not in WEBHOOK_SECRET_KEYS (${[...this.keys.keys()].join(', ')})`,
      );
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new SecretBoxError(`malformed ${VERSION} sealed webhook secret`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(organizationId, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        `sealed webhook secret failed authentication with key "${keyId}" (altered, or another organization's)`,
      );
    }
  }
}
