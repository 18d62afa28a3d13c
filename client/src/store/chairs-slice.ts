import { type ChairSummary, foldLatestVitals } from '@chairside/shared';
import { mergeLatestVitals } from './latest-vitals-merge';
import type { ChairHistory } from './reading-history';
import type { LoadStatus, SliceCreator } from './slice';

export interface ChairsSlice {
  chairs: Record<string, ChairSummary>;
  chairList: { status: LoadStatus; error: string | null };
  chairsLoading(): void;
  chairsLoaded(chairs: ChairSummary[]): void;
  chairsFailed(message: string): void;
}

/** The server's summary, with anything newer the socket already delivered folded in. */
function reconcile(chair: ChairSummary, known: ChairSummary | undefined, history: ChairHistory | undefined): ChairSummary {
  let latest = known === undefined ? chair.latest : mergeLatestVitals(chair.latest, known.latest);
  for (const { reading } of history?.recent ?? []) latest = foldLatestVitals(latest, reading);
  return { ...chair, latest };
}

export const createChairsSlice: SliceCreator<ChairsSlice & { history: Record<string, ChairHistory> }, ChairsSlice> = (set) => ({
  chairs: {},
  chairList: { status: 'idle', error: null },

  chairsLoading: () => set((s) => ({ chairList: { status: 'loading', error: s.chairList.error } })),

  chairsLoaded: (list) =>
    set((s) => ({
      chairs: Object.fromEntries(list.map((chair) => [chair.id, reconcile(chair, s.chairs[chair.id], s.history[chair.id])])),
      chairList: { status: 'loaded', error: null },
    })),

  chairsFailed: (message) => set((s) => ({ chairList: { status: s.chairList.status === 'loaded' ? 'loaded' : 'failed', error: message } })),
});
