// IPv4 and IPv6 CIDR blocks for the `cidr` filter operator: an address is a bigint of 32 or 128 bits.

export interface Cidr {
  readonly bits: 32 | 128;
  readonly network: bigint;
  readonly prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const parts = text.split('/');
  if (parts.length !== 2 || !/^\d{1,3}$/.test(parts[1] ?? '')) return undefined;
  const addr = parseIp(parts[0] ?? '');
  const prefix = Number(parts[1]);
  if (!addr || prefix > addr.bits) return undefined;
  return { bits: addr.bits, network: addr.value & mask(addr.bits, prefix), prefix };
}

export function inCidr(range: Cidr, ip: string): boolean {
  const addr = parseIp(ip);
  return !!addr && addr.bits === range.bits && (addr.value & mask(range.bits, range.prefix)) === range.network;
}

function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

function parseIp(text: string): { bits: 32 | 128; value: bigint } | undefined {
  if (text.includes(':')) return parseIpv6(text);
  const v4 = parseIpv4(text);
  return v4 === undefined ? undefined : { bits: 32, value: v4 };
}

function parseIpv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const o of octets) {
    if (!/^\d{1,3}$/.test(o) || Number(o) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(o));
  }
  return value;
}

function parseIpv6(text: string): { bits: 128; value: bigint } | undefined {
  let groups: string[] = [];
  let tail = text;
  let v4Tail: bigint | undefined;
  const lastColon = tail.lastIndexOf(':');
  if (tail.slice(lastColon + 1).includes('.')) {
    v4Tail = parseIpv4(tail.slice(lastColon + 1));
    if (v4Tail === undefined) return undefined;
    tail = `${tail.slice(0, lastColon + 1)}0:0`;
  }
  const halves = tail.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (v4Tail !== undefined) value = (value & ~0xffffffffn) | v4Tail;
  return { bits: 128, value };
}
