import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalObjectStorage } from './local-object-storage';

let dir: string;
let storage: LocalObjectStorage;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'docent-local-'));
  storage = new LocalObjectStorage({
    dataDir: dir,
    publicUrl: 'http://gateway.example/',
    signingSecret: 'x'.repeat(40),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LocalObjectStorage', () => {
  it('keeps every key inside its root', () => {
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a/./b', '', 'a\\b', 'a/b/'])
      expect(() => storage.pathOf(key)).toThrow(/Invalid storage key/);
    expect(storage.pathOf('originals/org/doc')).toBe(join(dir, 'objects/originals/org/doc'));
  });

  it('writes, heads, reads a prefix and deletes idempotently', async () => {
    await storage.write('a/b.json', '{"x":1}');
    expect(await storage.head('a/b.json')).toEqual({ byteSize: 7 });
    expect((await storage.readPrefix('a/b.json', 3)).toString()).toBe('{"x');
    await storage.delete('a/b.json');
    await storage.delete('a/b.json');
    expect(await storage.head('a/b.json')).toBeNull();
  });

  it('signs exactly what it grants', async () => {
    const upload = await storage.signUpload('originals/o/d', {
      contentType: 'application/pdf',
      byteSize: 10,
      expiresInSeconds: 60,
    });
    const url = new URL(upload.url);
    expect(url.origin + url.pathname).toBe('http://gateway.example/files/upload');
    const grant = {
      method: 'PUT' as const,
      key: 'originals/o/d',
      expires: Number(url.searchParams.get('expires')),
      size: 10,
      type: 'application/pdf',
    };
    const signature = url.searchParams.get('signature')!;
    expect(storage.signer.verify(grant, signature)).toBe(true);
    expect(storage.signer.verify({ ...grant, size: 11 }, signature)).toBe(false);
    expect(storage.signer.verify({ ...grant, key: 'originals/o/e' }, signature)).toBe(false);
    expect(storage.signer.verify({ ...grant, type: 'text/plain' }, signature)).toBe(false);
    expect(upload.expiresAt.getTime()).toBe(grant.expires * 1000);
  });
});
