/** Axis ticks every `stepMs` between two instants, on round local times (10:00, 10:30 …). */
export function timeTicks(fromMs: number, toMs: number, stepMs: number): number[] {
  const offsetMs = new Date(fromMs).getTimezoneOffset() * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil((fromMs - offsetMs) / stepMs) * stepMs + offsetMs; t <= toMs; t += stepMs) ticks.push(t);
  return ticks;
}
