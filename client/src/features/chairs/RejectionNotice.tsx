import { type LatestVitals, describeRejections } from '@chairside/shared';
import { visibleRejections } from './vital-status';

/** The newest rejected values still relevant: shown plainly, never as a vital. */
export function RejectionNotice({ latest }: { latest: LatestVitals }) {
  const rejections = visibleRejections(latest);
  if (rejections.length === 0) return null;
  return (
    <div className="rejection" role="note" aria-label="Rejected values">
      <svg className="rejection__icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
        <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" strokeWidth="1.8" />
        <path d="M4.5 15.5l11-11" stroke="currentColor" strokeWidth="1.8" />
      </svg>
      <ul className="rejection__list">
        {describeRejections(rejections).map(({ fields, message }) => (
          <li key={fields.join('+')}>Rejected: {message}</li>
        ))}
      </ul>
    </div>
  );
}
