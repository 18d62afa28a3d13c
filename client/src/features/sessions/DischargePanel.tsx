import type { DischargeGateResult, SessionAction, SessionSummary } from '@chairside/shared';
import { useId, useState } from 'react';
import { formatClock } from '../../lib/vital-format';
import { GateItemList } from './GateItemList';
import { SessionActionButton } from './SessionActionButton';
import { refusalOf } from './session-events';
import { usePostSessionEvent } from './use-session-event';

interface DischargePanelProps {
  session: SessionSummary;
  chairName: string;
  /** The gate as evaluated now (see session-display.ts `localGate`). */
  gate: DischargeGateResult;
  /** From `availableActions` for this user: discharge, override, checklist. */
  actions: readonly SessionAction[];
}

/**
 * Discharge during observation: the gate item by item, the nurse's checklist, and "Discharge" once
 * every item is met. A clinician may discharge anyway with a written reason; a nurse is told why she
 * cannot.
 */
export function DischargePanel({ session, chairName, gate, actions }: DischargePanelProps) {
  const headingId = useId();
  const postEvent = usePostSessionEvent();
  const [pending, setPending] = useState<string | null>(null);
  const [checklistError, setChecklistError] = useState<string | null>(null);
  const discharge = actions.find((a) => a.id === 'discharge');
  const override = actions.find((a) => a.id === 'discharge-with-override');
  const checklistAction = actions.find((a) => a.id === 'update-checklist');
  const { checklist } = session.protocol.dischargeGate;
  const failing = gate.items.filter((i) => !i.ok);

  const tick = async (itemId: string, checked: boolean) => {
    setPending(itemId);
    setChecklistError(null);
    try {
      await postEvent(session.id, { type: 'checklist-updated', items: { [itemId]: checked } });
    } catch (error) {
      setChecklistError(`Not saved: ${refusalOf(error).message}`);
    }
    setPending(null);
  };

  // The discharge button follows the gate as this screen sees it now, and the engine's verdict for this user.
  const dischargeAction: SessionAction | undefined =
    discharge === undefined
      ? undefined
      : gate.holds || !discharge.enabled
        ? discharge
        : { ...discharge, enabled: false, disabledReason: 'Discharge is possible once every item above is met.' };

  return (
    <section className="panel discharge" aria-labelledby={headingId}>
      <div className="panel__bar">
        <h2 id={headingId} className="panel__title">
          Discharge
        </h2>
        <p className={`discharge__verdict${gate.holds ? ' is-ready' : ''}`} role="status">
          <span aria-hidden="true">{gate.holds ? '✓ ' : '✗ '}</span>
          {gate.holds
            ? `Discharge criteria met${session.state.gateFirstHeldAtMs === null ? '' : ` at ${formatClock(session.state.gateFirstHeldAtMs)}`}: every item is met`
            : `Discharge criteria not met: ${failing.length} of ${gate.items.length} items`}
        </p>
      </div>
      <GateItemList items={gate.items} />

      {checklist.length > 0 && (
        <fieldset className="check-list discharge__checklist" aria-busy={pending !== null}>
          <legend className="field__label">Discharge checklist</legend>
          {checklist.map((item) => (
            <label key={item.id} className="check check--large">
              <input
                type="checkbox"
                checked={session.state.checklist[item.id] === true}
                disabled={pending !== null || checklistAction?.enabled !== true}
                onChange={(event) => void tick(item.id, event.target.checked)}
              />
              {item.label}
            </label>
          ))}
          {checklistAction !== undefined && !checklistAction.enabled && checklistAction.disabledReason !== null && (
            <p className="session-action__reason">{checklistAction.disabledReason}</p>
          )}
        </fieldset>
      )}
      {checklistError !== null && (
        <p role="alert" className="field__error">
          {checklistError}
        </p>
      )}

      <div className="discharge__actions">
        {dischargeAction !== undefined && (
          <SessionActionButton action={dischargeAction} session={session} chairName={chairName} className="button button--primary" showReason />
        )}
        {override !== undefined && !gate.holds && (
          <SessionActionButton action={override} session={session} chairName={chairName} className="button button--danger" showReason failingItems={failing} />
        )}
      </div>
    </section>
  );
}
