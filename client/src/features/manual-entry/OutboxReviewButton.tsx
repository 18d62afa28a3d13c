import { type ReactNode, useState } from 'react';
import type { OutboxEntry } from '../../store/outbox-slice';
import { useAppStore } from '../../store/store-context';
import { ManualEntryDialog } from './ManualEntryDialog';
import { OutboxDialog } from './OutboxDialog';
import { draftOf } from './offline-text';

/** Opens the entries kept on this tablet; "Correct" on a refused one opens the entry form with its values. */
export function OutboxReviewButton({ className, children, hidden = false }: { className: string; children: ReactNode; hidden?: boolean }) {
  const [state, setState] = useState<{ step: 'closed' } | { step: 'list' } | { step: 'correct'; entry: OutboxEntry }>({ step: 'closed' });
  const correcting = state.step === 'correct' ? state.entry : null;
  const chairName = useAppStore((s) => {
    const chairId = correcting?.reading.chairId;
    return chairId === undefined ? null : (s.chairs[chairId]?.name ?? chairId);
  });

  return (
    <>
      {/* Hidden once nothing waits; a dialog opened from it stays until closed. */}
      {!hidden && (
        <button type="button" className={className} aria-haspopup="dialog" onClick={() => setState({ step: 'list' })}>
          {children}
        </button>
      )}
      {state.step === 'list' && <OutboxDialog onClose={() => setState({ step: 'closed' })} onCorrect={(entry) => setState({ step: 'correct', entry })} />}
      {correcting !== null && correcting.reading.chairId !== undefined && (
        <ManualEntryDialog
          chairId={correcting.reading.chairId}
          chairName={chairName ?? correcting.reading.chairId}
          initial={draftOf(correcting.reading)}
          replaces={correcting.reading.id}
          onClose={() => setState({ step: 'closed' })}
        />
      )}
    </>
  );
}
