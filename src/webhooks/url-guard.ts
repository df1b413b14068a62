import { promises as dns } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Server-side request forgery guard. A webhook URL is chosen by a customer but fetched from inside our network, so it
 * must not reach loopback, private, link-local, unique-local, multicast, unspecified or any other special-purpose
 * address. Only global unicast passes: an allow-list, so ranges we did not think of (CGNAT, NAT64, 6to4, Teredo,
 * reserved) are refused too. Checked when a webhook is registered and again when each delivery connects (the
 * connection uses the very addresses checked, so a DNS answer that changes in between - rebinding - gains nothing).
 */
export class UrlRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UrlRefusedError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** getaddrinfo, as the HTTP client would use it (honours /etc/hosts, so `localhost` is caught). */
export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** ipaddr.js range name of an address; IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it carries. */
export function addressRange(ip: string): string {
  let addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  return addr.range();
}

export function isPublicAddress(ip: string): boolean {
  return ipaddr.isValid(ip) && addressRange(ip) === 'unicast';
}

/** The URL if it is an absolute http(s) URL; otherwise a UrlRefusedError. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefusedError('must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefusedError('must be an http or https URL');
  if (!url.hostname) throw new UrlRefusedError('must name a host');
  return url;
}

/** The IP address a URL names literally (WHATWG URL has already canonicalised forms like 0x7f.1), if any. */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return ipaddr.IPv4.isValidFourPartDecimal(host) || ipaddr.IPv6.isValid(host) ? host : undefined;
}

function assertPublic(host: string, addresses: readonly string[]): void {
  if (addresses.length === 0) throw new UrlRefusedError(`the host ${host} does not resolve`);
  for (const address of addresses) {
    if (!isPublicAddress(address)) {
      const shown = address === host ? address : `${host} (${address})`;
      throw new UrlRefusedError(`must not point at a ${addressRange(address)} address: ${shown}`);
    }
  }
}

export interface UrlGuardOptions {
  /** WEBHOOK_ALLOW_PRIVATE_URLS: skip the address checks (tests, closed networks). The scheme is always checked. */
  allowPrivate: boolean;
  resolve?: Resolver;
}

/** Registration-time check: the scheme, and every address the host names or resolves to. */
export async function assertAllowedUrl(raw: string, options: UrlGuardOptions): Promise<URL> {
  const url = parseWebhookUrl(raw);
  if (options.allowPrivate) return url;
  const literal = literalAddress(url);
  if (literal) {
    assertPublic(literal, [literal]);
    return url;
  }
  let resolved: ResolvedAddress[];
  try {
    resolved = await (options.resolve ?? systemResolver)(url.hostname);
  } catch {
    throw new UrlRefusedError(`the host ${url.hostname} does not resolve`);
  }
  assertPublic(
    url.hostname,
    resolved.map((r) => r.address),
  );
  return url;
}

/**
 * A `lookup` for http.request that resolves, refuses the connection unless every address is public, and hands the
 * checked addresses to the socket: the check and the connection use the same DNS answer. (Node does not call lookup
 * for literal IP hosts: check those with assertAllowedUrl before connecting.)
 */
export function guardedLookup(resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((resolved) => {
        assertPublic(
          hostname,
          resolved.map((r) => r.address),
        );
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const wanted = family === 4 || family === 6 ? resolved.filter((r) => r.family === family) : resolved;
        if (wanted.length === 0) throw new UrlRefusedError(`the host ${hostname} has no IPv${family} address`);
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, '', 0));
  };
}
