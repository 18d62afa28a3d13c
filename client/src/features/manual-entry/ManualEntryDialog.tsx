import { useServices } from '../../app-services';
import { Modal } from '../../components/Modal';
import { useAppStore } from '../../store/store-context';
import { ManualEntryForm } from './ManualEntryForm';

interface ManualEntryDialogProps {
  chairId: string;
  chairName: string;
  onClose: () => void;
}

export function ManualEntryDialog({ chairId, chairName, onClose }: ManualEntryDialogProps) {
  const { api, clock, newId } = useServices();
  const applyReadings = useAppStore((s) => s.applyReadings);
  return (
    <Modal title={`Enter reading — ${chairName}`} onClose={onClose}>
      <ManualEntryForm
        chairId={chairId}
        submitReading={api.postReading}
        clock={clock}
        newId={newId}
        onSaved={(reading) => {
          // Shown at once; the broadcast of the same seq that follows changes nothing.
          applyReadings([reading]);
          onClose();
        }}
        onCancel={onClose}
      />
    </Modal>
  );
}
