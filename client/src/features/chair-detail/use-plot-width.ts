import { type RefObject, useLayoutEffect, useRef, useState } from 'react';

/**
 * The width of the trend's column, measured once for all of its panes (they span it whole) and again
 * when it changes (a rotated tablet, a resized window, a printout). Each recharts chart with
 * `responsive` measures itself instead: one forced layout and one more render of that chart each
 * before its lines are drawn. Zero until measured (and in a DOM without layout): nothing is drawn.
 */
export function usePlotWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    // Whole pixels, as recharts rounds its own measure: a fraction more or less redraws nothing.
    const take = (px: number) => setWidth(Math.round(px));
    take(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[0];
      if (entry !== undefined) take(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
