/**
 * How a slice reaches the store: only the part it reads and writes. `S` is the slice's own state
 * plus any other slice's part it updates with it (readings fold into `chairs`); app-store.ts hands
 * each slice the whole store's `set` and `get`, which fit. No slice imports app-state.ts, so the
 * composed state depends on its slices and never the other way round.
 */
export type SliceSet<S> = (update: Partial<S> | ((state: S) => Partial<S>)) => void;

export type SliceCreator<S, U> = (set: SliceSet<S>, get: () => S) => U;

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'failed';
