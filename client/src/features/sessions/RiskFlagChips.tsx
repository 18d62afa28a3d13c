import { type RiskFlag, riskFlagLabels } from '@chairside/shared';

/**
 * A patient's risk flags in words ("Known hypertension"), never as colour alone. Spans with list
 * roles, so the chips may sit inside a sentence or a label.
 */
export function RiskFlagChips({ flags }: { flags: readonly RiskFlag[] }) {
  if (flags.length === 0) return null;
  return (
    <span className="risk-flags" role="list" aria-label="Risk flags">
      {flags.map((flag) => (
        <span key={flag} className="risk-flag" role="listitem">
          {riskFlagLabels[flag]}
        </span>
      ))}
    </span>
  );
}
