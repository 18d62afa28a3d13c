/**
 * A dependency made after the things that need it: sessions and the socket server call the alert
 * engine, which is built from them (sessions ↔ alerts ↔ sockets). They are given `get`, which works
 * once `set` has been called; until then it throws.
 */
export function lateBound<T>(what: string): { get: () => T; set: (value: T) => void } {
  let value: T | null = null;
  return {
    get: () => {
      if (value === null) throw new Error(`${what} not ready`);
      return value;
    },
    set: (next) => {
      value = next;
    },
  };
}
