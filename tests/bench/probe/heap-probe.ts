/**
 * Loaded into the server process by the memory scenario (`node --expose-gc --import <this>`), never
 * by the server itself: on SIGUSR2 it runs a full garbage collection and prints the process's memory
 * use as one line, `[bench-heap] {…}`, so the benchmark can tell a leak from a heap V8 has not yet
 * bothered to collect.
 */
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  process.stderr.write(`[bench-heap] ${JSON.stringify({ ...process.memoryUsage(), gc: gc !== undefined })}\n`);
});
