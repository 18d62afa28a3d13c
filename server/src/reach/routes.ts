import { Router } from 'express';
import { z } from 'zod';
import { assignChairSchema, idSchema } from '@chairside/shared';
import { anyUser, requireRole, userOf } from '../auth/auth.middleware';
import type { AuditService } from '../audit/audit.service';
import { audited } from '../audit/audited';
import type { AssignmentChange, AssignmentsService } from './assignments.service';
import type { Store } from '../store/store';

const escalationsQuerySchema = z.object({ sessionId: idSchema });

/** What an assignment change records in the audit trail. */
function changeDetails(change: AssignmentChange): Record<string, unknown> {
  return {
    primaryUserId: change.after?.primaryUserId ?? null,
    backupUserId: change.after?.backupUserId ?? null,
    previousPrimaryUserId: change.before?.primaryUserId ?? null,
    previousBackupUserId: change.before?.backupUserId ?? null,
  };
}

/**
 * `/api/v1/assignments`: who watches which chair this shift; `/api/v1/escalations`: whom a session's
 * alarms reached (docs/architecture.md "Alarm reach"). `changed` tells every screen.
 */
export function reachRoutes(
  assignments: AssignmentsService,
  deliveries: Pick<Store, 'deliveries'>,
  audit: AuditService,
  changed: () => void,
): Router {
  const router = Router();
  router.get('/assignments', anyUser, async (_req, res) => {
    res.json(await assignments.list());
  });
  router.put(
    '/assignments',
    requireRole('nurse', 'clinician'),
    audited(audit, {
      run: async (req, res) => {
        const change = await assignments.assign(assignChairSchema.parse(req.body), userOf(res).user);
        return { change, list: await assignments.list() };
      },
      entry: ({ change }) => ({ action: 'assignment-set', targetType: 'chair', targetId: change.chairId, details: changeDetails(change) }),
      reply: (res, { list }) => {
        changed();
        res.json(list);
      },
    }),
  );
  router.delete(
    '/assignments/:chairId',
    requireRole('nurse', 'clinician'),
    audited(audit, {
      run: (req, res) => assignments.release(idSchema.parse(req.params.chairId), userOf(res).user),
      entry: (change) => ({ action: 'assignment-released', targetType: 'chair', targetId: change.chairId, details: changeDetails(change) }),
      reply: (res) => {
        changed();
        res.status(204).end();
      },
    }),
  );
  router.get('/escalations', requireRole('nurse', 'clinician'), async (req, res) => {
    const { sessionId } = escalationsQuerySchema.parse(req.query);
    res.json(await deliveries.deliveries.listEscalations({ sessionId }));
  });
  return router;
}
