import { randomBytes, randomUUID } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';
import { newWebhookSecret } from './webhook-signature';

const oldKey = { id: 'k2024', key: randomBytes(32) };
const newKey = { id: 'k2025', key: randomBytes(32) };

function flipLastByte(sealed: string): string {
  const parts = sealed.split('.');
  const ciphertext = Buffer.from(parts[4], 'base64url');
  ciphertext[ciphertext.length - 1] ^= 1;
  parts[4] = ciphertext.toString('base64url');
  return parts.join('.');
}

describe('SecretBox', () => {
  const organizationId = randomUUID();

  it('seals to v1.<keyId>.<iv>.<tag>.<ciphertext> and opens it again', () => {
    const box = new SecretBox([newKey]);
    const secret = newWebhookSecret();
    const sealed = box.seal(secret, organizationId);
    expect(sealed).toMatch(/^v1\.k2025\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain(secret.slice(6));
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(SecretBox.isSealed(secret)).toBe(false);
    expect(box.open(sealed, organizationId)).toBe(secret);
  });

  it('uses a fresh IV for every secret', () => {
    const box = new SecretBox([newKey]);
    const a = box.seal('same', organizationId).split('.');
    const b = box.seal('same', organizationId).split('.');
    expect(a[2]).not.toBe(b[2]);
    expect(a[4]).not.toBe(b[4]);
  });

  it("refuses a ciphertext copied to another organization's row", () => {
    const box = new SecretBox([newKey]);
    const sealed = box.seal(newWebhookSecret(), organizationId);
    expect(() => box.open(sealed, randomUUID())).toThrow(SecretBoxError);
    expect(() => box.open(sealed, randomUUID())).toThrow(/another organization's/);
  });

  it('refuses an altered ciphertext, tag or IV', () => {
    const box = new SecretBox([newKey]);
    const sealed = box.seal(newWebhookSecret(), organizationId);
    expect(() => box.open(flipLastByte(sealed), organizationId)).toThrow(/failed authentication/);
    const parts = sealed.split('.');
    const tag = Buffer.from(parts[3], 'base64url');
    tag[0] ^= 1;
    expect(() =>
      box.open(
        [...parts.slice(0, 3), tag.toString('base64url'), parts[4]].join('.'),
        organizationId,
      ),
    ).toThrow(SecretBoxError);
    expect(() => box.open(`${parts.slice(0, 3).join('.')}.${parts[4]}`, organizationId)).toThrow(
      /not a v1 sealed/,
    );
    expect(() => box.open('whsec_plaintext', organizationId)).toThrow(/not a v1 sealed/);
  });

  it('opens rows sealed with an older key once a new key is put first (rotation)', () => {
    const before = new SecretBox([oldKey]);
    const sealedBefore = before.seal('old secret', organizationId);
    const after = new SecretBox([newKey, oldKey]);
    expect(after.open(sealedBefore, organizationId)).toBe('old secret');
    // New secrets are sealed with the new key only.
    const sealedAfter = after.seal('new secret', organizationId);
    expect(sealedAfter.split('.')[1]).toBe('k2025');
    expect(() => before.open(sealedAfter, organizationId)).toThrow(SecretBoxError);
  });

  it('names the unknown key id when a row was sealed with a key no longer configured', () => {
    const sealed = new SecretBox([oldKey]).seal('s', organizationId);
    expect(() => new SecretBox([newKey]).open(sealed, organizationId)).toThrow(
      /sealed with key "k2024", which is not in WEBHOOK_SECRET_KEYS \(k2025\)/,
    );
  });

  it('refuses a key of the same id but other bytes', () => {
    const sealed = new SecretBox([newKey]).seal('s', organizationId);
    const impostor = new SecretBox([{ id: newKey.id, key: randomBytes(32) }]);
    expect(() => impostor.open(sealed, organizationId)).toThrow(/failed authentication/);
  });
});
