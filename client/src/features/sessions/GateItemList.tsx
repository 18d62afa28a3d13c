/** One item of a gate (discharge or start): what is checked, whether it is met, and what was found. */
export interface GateItem {
  id: string;
  ok: boolean;
  label: string;
  detail: string;
}

/** A gate's items, each marked met or not met in words and symbol, with what was found. */
export function GateItemList({ items, label = 'Discharge gate' }: { items: readonly GateItem[]; label?: string }) {
  return (
    <ul className="gate-items" aria-label={label}>
      {items.map((item) => (
        <li key={item.id} className={`gate-item ${item.ok ? 'is-met' : 'is-failing'}`}>
          <span className="gate-item__symbol" aria-hidden="true">
            {item.ok ? '✓' : '✗'}
          </span>
          <span className="gate-item__state">{item.ok ? 'Met' : 'Not met'}</span>
          <span className="gate-item__text">
            <strong>{item.label}</strong>: {item.detail}
          </span>
        </li>
      ))}
    </ul>
  );
}
