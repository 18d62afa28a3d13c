import { type Reading, foldLatestVitals } from '@chairside/shared';
import type { StateCreator } from 'zustand';
import type { AppState, ReadingsSlice } from './app-state';
import { type HistoryLimits, addToHistory, defaultHistoryLimits, emptyHistory, replaceInHistory } from './reading-history';

function groupByChair(readings: readonly Reading[]): Map<string, Reading[]> {
  const groups = new Map<string, Reading[]>();
  for (const reading of readings) {
    const group = groups.get(reading.chairId);
    if (group === undefined) groups.set(reading.chairId, [reading]);
    else group.push(reading);
  }
  return groups;
}

export function createReadingsSlice(
  limits: HistoryLimits = defaultHistoryLimits,
): StateCreator<AppState, [], [], ReadingsSlice> {
  return (set) => ({
    history: {},

    applyReadings: (readings) => {
      if (readings.length === 0) return;
      set((s) => {
        let history = s.history;
        let chairs = s.chairs;
        for (const [chairId, group] of groupByChair(readings)) {
          const before = history[chairId] ?? emptyHistory;
          const after = addToHistory(before, group, limits);
          if (after !== before) history = { ...history, [chairId]: after };

          const chair = chairs[chairId];
          if (chair === undefined) continue; // folded in when the chair list arrives (chairs-slice)
          const latest = group.reduce(foldLatestVitals, chair.latest);
          if (latest !== chair.latest) chairs = { ...chairs, [chairId]: { ...chair, latest } };
        }
        return history === s.history && chairs === s.chairs ? s : { history, chairs };
      });
    },

    readingsReset: () => set({ history: {}, chairs: {}, chairList: { status: 'loading', error: null } }),

    readingsUpdated: (readings) =>
      set((s) => {
        let history = s.history;
        for (const [chairId, group] of groupByChair(readings)) {
          const before = history[chairId];
          if (before === undefined) continue;
          const after = replaceInHistory(before, group);
          if (after !== before) history = { ...history, [chairId]: after };
        }
        return history === s.history ? s : { history };
      }),
  });
}
