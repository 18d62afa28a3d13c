import { type RefObject, useEffect } from 'react';

/**
 * Keeps a CSS custom property on the document (`--app-header-height`, `--safety-note-height`) equal to
 * an element's height, so a page can size itself to the screen left between the sticky top block and
 * the safety note (the chair grid fits the clinic on one screen) whatever they hold at the moment.
 */
export function usePublishedHeight(ref: RefObject<HTMLElement | null>, property: `--${string}`): void {
  useEffect(() => {
    const element = ref.current;
    if (element === null || typeof ResizeObserver !== 'function') return;
    const root = document.documentElement;
    const publish = () => root.style.setProperty(property, `${Math.round(element.getBoundingClientRect().height)}px`);
    publish();
    const observer = new ResizeObserver(publish);
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty(property);
    };
  }, [ref, property]);
}
