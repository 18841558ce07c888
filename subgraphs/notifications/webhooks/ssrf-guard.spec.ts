import { assertPublicAddress, assertWebhookUrl, parseAllowList } from './ssrf-guard';

describe('webhook SSRF guard', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
  ])('refuses %s', (address) => {
    expect(() => assertPublicAddress('h', address, [])).toThrow(/public addresses|resolved/);
  });

  it('accepts public addresses and allow-listed ones', () => {
    expect(() => assertPublicAddress('h', '93.184.216.34', [])).not.toThrow();
    expect(() => assertPublicAddress('h', '2606:4700::1111', [])).not.toThrow();
    expect(() => assertPublicAddress('h', '127.0.0.1', parseAllowList('127.0.0.1'))).not.toThrow();
    expect(() => assertPublicAddress('h', '10.1.2.3', parseAllowList('10.0.0.0/8'))).not.toThrow();
  });

  it('refuses other schemes and credentials in the URL', async () => {
    await expect(assertWebhookUrl('file:///etc/passwd', [])).rejects.toThrow(/http/);
    await expect(assertWebhookUrl('http://u:p@93.184.216.34/', [])).rejects.toThrow(/credentials/);
    await expect(assertWebhookUrl('http://localhost:1/', [])).rejects.toThrow(/public/);
  });
});
