// IP addresses and CIDR blocks for `cidr` matching. An exact string value that is an IP address also matches the
// same address written differently (IPv6 compression), because AWS compares addresses, not text.

/** An address as a number: 32 bits for IPv4, 128 for IPv6. */
export interface IpAddress {
  readonly v6: boolean;
  readonly value: bigint;
}

export interface IpRange {
  readonly v6: boolean;
  readonly low: bigint;
  readonly high: bigint;
}

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXTET_RE = /^[0-9a-fA-F]{1,4}$/;

/** The address a string holds, or undefined when it is not a plain IPv4 or IPv6 literal. */
export function parseIp(s: string): IpAddress | undefined {
  if (s.length < 2 || s.length > 39) return undefined;
  if (s.includes('.')) {
    if (!IPV4_RE.test(s)) return undefined;
    let v = 0n;
    for (const part of s.split('.')) v = (v << 8n) | BigInt(Number(part));
    return { v6: false, value: v };
  }
  if (!s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  let v = 0n;
  for (const h of head) {
    if (!HEXTET_RE.test(h)) return undefined;
    v = (v << 16n) | BigInt(parseInt(h, 16));
  }
  v <<= 16n * BigInt(halves.length === 2 ? missing : 0);
  for (const h of tail) {
    if (!HEXTET_RE.test(h)) return undefined;
    v = (v << 16n) | BigInt(parseInt(h, 16));
  }
  return { v6: true, value: v };
}

/** Parses `ADDRESS/BITS`; throws an Error with AWS's message when it is not a valid block. */
export function parseCidr(cidr: string): IpRange {
  const parts = cidr.split('/');
  // Like Java's String.split, trailing empty parts do not count.
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) throw new Error("Malformed CIDR, one '/' required");
  const bitsText = parts[1] ?? '';
  if (!/^[+-]?\d+$/.test(bitsText) || Math.abs(Number(bitsText)) > 2147483647) {
    throw new Error('Malformed CIDR, mask bits must be an integer');
  }
  const bits = Number(bitsText);
  if (bits < 0) throw new Error('Malformed CIDR, mask bits must not be negative');
  const address = parts[0] ?? '';
  const ip = parseIp(address);
  if (!ip) {
    throw new Error(`Nonstandard IP address: ${address}`);
  }
  const width = ip.v6 ? 128n : 32n;
  if (!ip.v6 && bits > 31) throw new Error('IPv4 mask bits must be < 32');
  if (ip.v6 && bits > 127) throw new Error('IPv6 mask bits must be < 128');
  const hostBits = width - BigInt(bits);
  const hostMask = (1n << hostBits) - 1n;
  // AWS keeps the address as given for the low end (host bits are not cleared) and sets them all for the high end.
  return { v6: ip.v6, low: ip.value, high: ip.value | hostMask };
}

export function inRange(range: IpRange, ip: IpAddress): boolean {
  return range.v6 === ip.v6 && ip.value >= range.low && ip.value <= range.high;
}
