import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to. Injectable (BuildAppOptions.resolveHost) so tests can play DNS. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const resolveWithSystemDns: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** A target that passed the guard, and the one address to connect to (pinned: DNS cannot swap it afterwards). */
export interface CheckedTarget {
  url: URL;
  address: ResolvedAddress;
}

/** Why a target is refused; the message is safe to show (it names the problem, not the network's layout). */
export class RefusedTargetError extends Error {
  override name = 'RefusedTargetError';
}

export interface TargetPolicy {
  allowPrivateNetworks: boolean;
  resolveHost: ResolveHost;
}

/**
 * The SSRF guard: only `https:` URLs whose host resolves to public unicast addresses, every one of them (a name
 * with one private address among public ones is refused: the connection could go to either). IPv4-mapped IPv6 is
 * judged as the IPv4 address it carries. `allowPrivateNetworks` lifts both rules (development, tests).
 */
export async function checkWebhookTarget(rawUrl: string, { allowPrivateNetworks, resolveHost }: TargetPolicy): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new RefusedTargetError('must be an https URL');
  }
  const httpsOnly = !allowPrivateNetworks;
  if (url.protocol !== 'https:' && (httpsOnly || url.protocol !== 'http:')) throw new RefusedTargetError('must be an https URL');
  if (url.username || url.password) throw new RefusedTargetError('must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  else {
    try {
      addresses = await resolveHost(host);
    } catch {
      throw new RefusedTargetError('has a host name that does not resolve');
    }
  }
  const [first] = addresses;
  if (!first) throw new RefusedTargetError('has a host name that does not resolve');
  if (!allowPrivateNetworks && !addresses.every(({ address }) => isPublicAddress(address))) {
    throw new RefusedTargetError('must resolve to public addresses only (not private, loopback or link-local)');
  }
  return { url, address: first };
}

/** Public unicast only: everything else (private, loopback, link-local, ULA, CGNAT, multicast, reserved, NAT64…) fails closed. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}
