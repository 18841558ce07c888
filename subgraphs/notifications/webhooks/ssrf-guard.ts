import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** Ranges a webhook may never reach: loopback, private, link-local (cloud metadata), and the like. */
const REFUSED_RANGES = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'carrierGradeNat',
  'private',
  'reserved',
  'uniqueLocal',
  'ipv4Mapped',
  'rfc6145',
  'rfc6052',
  '6to4',
  'teredo',
  'benchmarking',
  'amt',
  'as112',
  'as112v6',
  'deprecated',
  'orchid2',
  'droneRemoteIdProtocolEntityTags',
  'discard',
]);

export class WebhookAddressError extends Error {}

/** An allow-list entry: a host name, an address, or a CIDR range (development and tests only). */
export function parseAllowList(setting: string): string[] {
  return setting
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

function allowed(allowList: string[], host: string, address: string): boolean {
  const parsed = ipaddr.process(address);
  return allowList.some((entry) => {
    if (entry === host.toLowerCase() || entry === address) return true;
    if (!entry.includes('/')) return false;
    try {
      const [range, bits] = ipaddr.parseCIDR(entry);
      return range.kind() === parsed.kind() && parsed.match([range, bits] as never);
    } catch {
      return false;
    }
  });
}

/** Throws unless `address` is a public unicast address (or allow-listed). */
export function assertPublicAddress(host: string, address: string, allowList: string[]): void {
  if (!ipaddr.isValid(address)) throw new WebhookAddressError(`${host} resolved to ${address}`);
  if (allowed(allowList, host, address)) return;
  const range = ipaddr.process(address).range();
  if (REFUSED_RANGES.has(range) || range !== 'unicast') {
    throw new WebhookAddressError(
      `${host} resolves to ${address} (${range}); webhooks may only reach public addresses`,
    );
  }
}

/** Checks a URL's scheme and every address its host resolves to. */
export async function assertWebhookUrl(raw: string, allowList: string[]): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookAddressError('url is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebhookAddressError('url must be http or https');
  if (url.username || url.password) throw new WebhookAddressError('url must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host)
    ? [host]
    : await new Promise<string[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (error, found: LookupAddress[]) =>
          error
            ? reject(new WebhookAddressError(`${host} does not resolve`))
            : resolve(found.map((a) => a.address)),
        ),
      );
  for (const address of addresses) assertPublicAddress(host, address, allowList);
  return url;
}

/**
 * A `lookup` for http.Agent that checks the addresses it connects to, at connect time, so DNS
 * rebinding between the check and the request cannot reach a private address.
 */
export function guardedLookup(allowList: string[]) {
  return (
    hostname: string,
    options: object,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '');
      try {
        for (const a of addresses) assertPublicAddress(hostname, a.address, allowList);
      } catch (refused) {
        return callback(refused as Error, '');
      }
      const all = (options as { all?: boolean }).all;
      if (all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
