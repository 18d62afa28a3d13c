import type { ReactNode } from 'react';

/**
 * A wide table's own sideways scroll box, so a table never widens the page. Focusable, so a keyboard
 * can scroll it too (axe: scrollable-region-focusable), and named after its table.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="group" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
