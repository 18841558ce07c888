import { ConfigError, loadConfig } from './config';

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

  it('refuses to turn Apollo usage reporting on', () => {
    expect(() => loadConfig({ APOLLO_TELEMETRY_DISABLED: 'false' })).toThrow(
      /APOLLO_TELEMETRY_DISABLED/,
    );
  });
});
