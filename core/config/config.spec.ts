import { ConfigError, loadConfig, webhookSecretKeyRing } from './config';

describe('loadConfig', () => {
  it('gives defaults that start the platform offline', () => {
    const config = loadConfig({});
    expect(config.GATEWAY_PORT).toBe(4000);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/docent');
    expect(config.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });

  it('names every bad value', () => {
    expect(() => loadConfig({ GATEWAY_PORT: 'eighty', REDIS_URL: 'http://x' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ GATEWAY_PORT: 'eighty', REDIS_URL: 'http://x' });
    } catch (error) {
      expect((error as Error).message).toMatch(/GATEWAY_PORT/);
      expect((error as Error).message).toMatch(/REDIS_URL/);
    }
  });

  it('refuses the development secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(
      /32 characters/,
    );
  });

  describe('WEBHOOK_SECRET_KEYS', () => {
    const key = (byte: number, bytes = 32) => Buffer.alloc(bytes, byte).toString('base64');
    const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-32-chars!!' };

    it('parses keyId:base64 pairs in order, the first one encrypting', () => {
      const value = ` k2025:${key(1)} , k_2024-old:${key(2)}`;
      const { WEBHOOK_SECRET_KEYS } = loadConfig({ WEBHOOK_SECRET_KEYS: value });
      // Kept as text, so a config handed to a child process's environment stays valid.
      expect(WEBHOOK_SECRET_KEYS).toBe(value);
      const ring = webhookSecretKeyRing(WEBHOOK_SECRET_KEYS);
      expect(ring.map((k) => k.id)).toEqual(['k2025', 'k_2024-old']);
      expect(ring[0].key).toEqual(Buffer.alloc(32, 1));
      expect(ring[1].key).toEqual(Buffer.alloc(32, 2));
    });

    it('has a development key, refused in production like JWT_SECRET', () => {
      const development = webhookSecretKeyRing(loadConfig({}).WEBHOOK_SECRET_KEYS);
      expect(development.map((k) => k.id)).toEqual(['dev']);
      expect(() => loadConfig(production)).toThrow(/WEBHOOK_SECRET_KEYS: required/);
      expect(() =>
        loadConfig({
          ...production,
          WEBHOOK_SECRET_KEYS: `new:${key(1)},dev:${development[0].key.toString('base64')}`,
        }),
      ).toThrow(/WEBHOOK_SECRET_KEYS: set keys of your own in production/);
      expect(
        webhookSecretKeyRing(
          loadConfig({ ...production, WEBHOOK_SECRET_KEYS: `prod:${key(3)}` }).WEBHOOK_SECRET_KEYS,
        ),
      ).toHaveLength(1);
    });

    it.each([
      [`k1:${key(1, 16)}`, /key "k1": must be base64 of exactly 32 bytes/],
      [`k1:${key(1, 33)}`, /key "k1": must be base64 of exactly 32 bytes/],
      ['k1:not base64!', /key "k1": must be base64 of exactly 32 bytes/],
      [key(1), /key 1: expected keyId:base64-of-32-bytes/],
      [`k.1:${key(1)}`, /key 1: expected keyId:base64-of-32-bytes, the id of \[A-Za-z0-9_-\]\+/],
      [`k1:${key(1)},,k2:${key(2)}`, /key 2: expected keyId/],
      [`k1:${key(1)},k1:${key(2)}`, /key id "k1" appears twice/],
    ])('refuses %s', (value, message) => {
      expect(() => loadConfig({ WEBHOOK_SECRET_KEYS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ WEBHOOK_SECRET_KEYS: value })).toThrow(message);
      expect(() => webhookSecretKeyRing(value)).toThrow(message);
    });
  });

  it('refuses to turn Apollo usage reporting on', () => {
    expect(() => loadConfig({ APOLLO_TELEMETRY_DISABLED: 'false' })).toThrow(
      /APOLLO_TELEMETRY_DISABLED/,
    );
  });
});
