import { useShallow } from 'zustand/react/shallow';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { useAppStore } from '../../store/store-context';
import { ChairTile } from './ChairTile';
import { orderedChairIds } from './chair-order';

/** The main view: every chair at a glance. */
export function ChairGrid() {
  const { live } = useServices();
  const chairIds = useAppStore(useShallow((s) => orderedChairIds(s.chairs)));
  const inSession = useAppStore((s) => Object.values(s.chairs).filter((c) => c.session !== null).length);
  const list = useAppStore((s) => s.chairList);

  return (
    <section className="page" aria-labelledby="chairs-heading">
      <PageTitle title="Chairs" />
      <div className="page__bar">
        <h1 id="chairs-heading" className="page__title">
          Chairs
        </h1>
        {chairIds.length > 0 && (
          <p className="page__summary">
            {chairIds.length} {chairIds.length === 1 ? 'chair' : 'chairs'} · {inSession} in session
          </p>
        )}
      </div>

      {list.error !== null && (
        <div role="alert" className="notice notice--error">
          <span>Could not load the chairs: {list.error}</span>
          <button type="button" className="button button--secondary" onClick={() => void live.reloadChairs()}>
            Retry
          </button>
        </div>
      )}

      {chairIds.length === 0 ? (
        list.status !== 'failed' && (
          <p className="empty-state">{list.status === 'loaded' ? 'No chairs yet. An administrator adds chairs.' : 'Loading chairs…'}</p>
        )
      ) : (
        <div className="chair-grid">
          {chairIds.map((id) => (
            <ChairTile key={id} chairId={id} />
          ))}
        </div>
      )}
    </section>
  );
}
