// Per-IP limits must count what one client controls. An IPv6 user typically holds a whole /64 and can
// pick a fresh address for every request, so IPv6 addresses are counted by their /64 prefix; IPv4 (also
// IPv4-mapped IPv6) by the address itself.

/** Expands an IPv6 address into its 8 groups, or null when it is not one. */
function ipv6Groups(address: string): string[] | null {
  const zoneless = address.split('%')[0]!.toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(zoneless) || !zoneless.includes(':')) return null;
  const halves = zoneless.split('::');
  if (halves.length > 2) return null;
  const split = (part: string) => (part === '' ? [] : part.split(':'));
  const head = split(halves[0]!);
  const tail = halves.length === 2 ? split(halves[1]!) : [];
  // A trailing dotted IPv4 part stands for two groups.
  const last = tail.length > 0 ? tail : head;
  if (last.length > 0 && last[last.length - 1]!.includes('.')) {
    const octets = last.pop()!.split('.').map(Number);
    if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return null;
    last.push(((octets[0]! << 8) | octets[1]!).toString(16), ((octets[2]! << 8) | octets[3]!).toString(16));
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return groups.every((group) => /^[0-9a-f]{1,4}$/.test(group)) ? groups.map((g) => g.replace(/^0+(?=.)/, '')) : null;
}

/** The key a client address is counted under: the IPv4 address, or the IPv6 /64 prefix (`2001:db8:1:2::/64`). */
export function clientAddressKey(address: string): string {
  const groups = ipv6Groups(address);
  if (groups === null) return address;
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 client behind it.
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') {
    const [high, low] = [parseInt(groups[6]!, 16), parseInt(groups[7]!, 16)];
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}
