/**
 * Operational log. Never pass patient data (names, MRNs, vitals) to it: log ids and counts.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function format(message: string, fields?: Record<string, unknown>): string {
  if (!fields || Object.keys(fields).length === 0) return message;
  return `${message} ${JSON.stringify(fields)}`;
}

export function consoleLogger(): Logger {
  const stamp = (): string => new Date().toISOString();
  return {
    info: (m, f) => console.log(`${stamp()} ${format(m, f)}`),
    warn: (m, f) => console.warn(`${stamp()} WARN ${format(m, f)}`),
    error: (m, f) => console.error(`${stamp()} ERROR ${format(m, f)}`),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
