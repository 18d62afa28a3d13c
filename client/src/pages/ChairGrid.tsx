import { type CSSProperties, type RefObject, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useServices } from '../app-services';
import { PageTitle } from '../components/PageTitle';
import { useAppStore } from '../store/store-context';
import { ChairTile } from './ChairTile';
import { orderedChairIds } from '../lib/chair-order';
import { myChairsFirst } from '../features/assignments/people';
import { UnassignedAdvisory } from '../features/assignments/UnassignedAdvisory';
import { type GridBox, type GridLayout, estimatedGridBox, gridLayout } from '../features/chairs/grid-layout';

/**
 * The grid's space: its width, and the screen's height from its top (below the header, the alarm
 * strip and the page's title) to the bottom, less what follows the page (its padding, the safety
 * notice). Measured again whenever the window or anything above the grid changes size.
 */
function useGridBox(ref: RefObject<HTMLElement | null>): GridBox {
  const [box, setBox] = useState<GridBox>(() => estimatedGridBox({ width: window.innerWidth, height: window.innerHeight }));
  useLayoutEffect(() => {
    const measure = () => {
      const grid = ref.current;
      if (grid === null) return;
      const widthPx = grid.clientWidth;
      if (widthPx === 0) return; // not laid out (a test's DOM): keep the estimate
      const topPx = grid.getBoundingClientRect().top + window.scrollY;
      const main = grid.closest('main');
      let belowPx = main === null ? 0 : parseFloat(getComputedStyle(main).paddingBottom) || 0;
      for (let next = main?.nextElementSibling ?? null; next !== null; next = next.nextElementSibling) belowPx += next.getBoundingClientRect().height;
      // A few pixels to spare: text is measured in fractions, the layout's model in whole pixels.
      const heightPx = Math.floor(window.innerHeight - topPx - belowPx) - 4;
      setBox((old) => (Math.abs(old.widthPx - widthPx) < 2 && Math.abs(old.heightPx - heightPx) < 2 ? old : { widthPx, heightPx }));
    };
    measure();
    window.addEventListener('resize', measure);
    // The page's own size changes when the header or the alarm strip above the grid grows or shrinks.
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(document.documentElement);
    if (ref.current?.parentElement) observer?.observe(ref.current.parentElement);
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref]);
  return box;
}

function gridStyle(layout: GridLayout): CSSProperties {
  return {
    '--cols': String(layout.cols),
    '--rows': String(layout.rows),
    '--tile-h': `${layout.tileHeightPx}px`,
    '--grid-gap': `${layout.gapPx}px`,
    '--bp-size': `${layout.bpPx}px`,
    '--vital-size': `${layout.vitalPx}px`,
    '--text-size': `${layout.textPx}px`,
    '--label-size': `${layout.labelPx}px`,
  } as CSSProperties;
}

/**
 * The main view, a central station: every chair on one screen, tiles and numbers scaled to the
 * number of chairs and the screen (grid-layout.ts); when they cannot fit with readable numbers, the
 * grid scrolls.
 */
export function ChairGrid() {
  const { live } = useServices();
  // "My chairs first" is this device's choice (features/assignments).
  const chairIds = useAppStore(
    useShallow((s) => (s.myChairsFirst ? myChairsFirst(orderedChairIds(s.chairs), s.assignments.byChair, s.auth.user?.id ?? null) : orderedChairIds(s.chairs))),
  );
  const inSession = useAppStore((s) => Object.values(s.chairs).filter((c) => c.session !== null).length);
  const list = useAppStore((s) => s.chairList);
  const gridRef = useRef<HTMLDivElement>(null);
  const box = useGridBox(gridRef);
  const layout = useMemo(() => gridLayout(chairIds.length, box), [chairIds.length, box]);

  return (
    <section className="page page--chairs" aria-labelledby="chairs-heading">
      <PageTitle title="Chairs" />
      {/* The screen's height belongs to the chairs: its title and count are for screen readers. */}
      <div className="visually-hidden">
        <h1 id="chairs-heading">Chairs</h1>
        {chairIds.length > 0 && (
          <p>
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

      {chairIds.length === 0 && list.status !== 'failed' && (
        <p className="empty-state">{list.status === 'loaded' ? 'No chairs yet. An administrator adds chairs.' : 'Loading chairs…'}</p>
      )}
      <UnassignedAdvisory />
      {/* Always rendered, so that its space is measured before the first chair arrives. */}
      <div
        ref={gridRef}
        className="chair-grid"
        data-arrangement={layout.arrangement}
        data-due-line={layout.dueLine ? 'own' : 'shared'}
        data-density={layout.density}
        data-fits={layout.fits ? 'true' : 'false'}
        style={gridStyle(layout)}
      >
        {chairIds.map((id) => (
          <ChairTile key={id} chairId={id} />
        ))}
      </div>
    </section>
  );
}
