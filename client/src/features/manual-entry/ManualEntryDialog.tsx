import { useServices } from '../../app-services';
import { Modal } from '../../components/Modal';
import { useAppStore } from '../../store/store-context';
import { queuedNotice } from './offline-text';
import type { SubmitOutcome } from './outbox';
import { ManualEntryForm } from './ManualEntryForm';
import type { ManualEntryDraft } from './manual-entry-validation';

interface ManualEntryDialogProps {
  chairId: string;
  chairName: string;
  onClose: () => void;
  /** Values to start from: a refused entry being corrected. */
  initial?: Partial<ManualEntryDraft>;
  /** The refused entry this one corrects: dropped from the tablet once the new one is saved. */
  replaces?: string;
  /** Told after the reading was stored or kept on the tablet, before the dialog closes. */
  onSaved?: (outcome: SubmitOutcome) => void;
}

export function ManualEntryDialog({ chairId, chairName, onClose, initial, replaces, onSaved }: ManualEntryDialogProps) {
  const { outbox, clock, newId } = useServices();
  const applyReadings = useAppStore((s) => s.applyReadings);
  const outboxNoticeChanged = useAppStore((s) => s.outboxNoticeChanged);
  return (
    <Modal title={`Enter reading — ${chairName}`} onClose={onClose}>
      <ManualEntryForm
        chairId={chairId}
        submitReading={outbox.submit}
        clock={clock}
        newId={newId}
        initial={initial}
        onSaved={(outcome) => {
          if (outcome.kind === 'stored') {
            // Shown at once; the broadcast of the same seq that follows changes nothing.
            if (outcome.reading !== null) applyReadings([outcome.reading]);
          } else {
            outboxNoticeChanged(queuedNotice(outcome.reason));
          }
          if (replaces !== undefined) void outbox.discard(replaces);
          onSaved?.(outcome);
          onClose();
        }}
        onCancel={onClose}
      />
    </Modal>
  );
}
