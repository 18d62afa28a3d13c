import type { Load } from '../../hooks/use-load';

/** "Loading …" the first time, and a failed load with Retry (the last answer stays shown). */
export function LoadState({ load, what }: { load: Load<unknown>; what: string }) {
  if (load.status === 'failed') {
    return (
      <div role="alert" className="notice notice--error">
        <span>
          Could not load {what}: {load.error}
        </span>
        <button type="button" className="button button--secondary button--small" onClick={load.reload}>
          Retry
        </button>
      </div>
    );
  }
  if (load.status === 'loading' && load.value === null) return <p className="muted admin-loading">Loading {what}…</p>;
  return null;
}
