import { isIP } from 'node:net';

/** Where ORU^R40 messages go (HL7_ALERT_TARGET): a paging gateway's MLLP listener. */
export interface Hl7Target {
  host: string;
  port: number;
}

export type Hl7TargetResult = { ok: true; target: Hl7Target } | { ok: false; message: string };

const hostPattern = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Parses `host:port` (a name, an IPv4 address, or an IPv6 address in brackets: `[::1]:2575`).
 * The message says what is wrong in words an operator can act on.
 */
export function parseHl7Target(text: string): Hl7TargetResult {
  const value = text.trim();
  const example = 'expected host:port, e.g. pager-gateway.clinic.local:2575 or [fd00::5]:2575';
  const match = /^(?:\[([^\]]*)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  if (!match) return { ok: false, message: `"${value.slice(0, 80)}" is not a host and port: ${example}` };
  const [, ipv6, name, portText] = match;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    return { ok: false, message: `port ${portText} is out of range: use 1–65535` };
  }
  if (ipv6 !== undefined) {
    if (isIP(ipv6) !== 6) return { ok: false, message: `"[${ipv6}]" is not an IPv6 address: ${example}` };
    return { ok: true, target: { host: ipv6, port } };
  }
  const host = name ?? '';
  if (host.length > 253 || !(isIP(host) === 4 || (hostPattern.test(host) && !/^[\d.]+$/.test(host)))) {
    return { ok: false, message: `"${host.slice(0, 80)}" is not a host name or IPv4 address: ${example}` };
  }
  return { ok: true, target: { host, port } };
}

/** `host:port` as written back (IPv6 in brackets), for logs, deliveries and the health check. */
export function formatHl7Target(target: Hl7Target): string {
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}
