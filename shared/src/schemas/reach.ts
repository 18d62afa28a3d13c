import { z } from 'zod';
import { alertPrioritySchema } from '../alerts/rules';
import { idSchema } from './common';

/**
 * Alarm reach on the wire: who watches which chair this shift (assignments) and whom an alarm has
 * reached (escalation steps). docs/architecture.md "Alarm reach".
 */

/** `PUT /api/v1/assignments`: a chair's primary nurse for the shift and, optionally, a backup. */
export const assignChairSchema = z
  .object({
    chairId: idSchema,
    primaryUserId: idSchema,
    backupUserId: idSchema.nullable().optional(),
  })
  .strict()
  .refine((a) => a.backupUserId === undefined || a.backupUserId === null || a.backupUserId !== a.primaryUserId, {
    message: 'The backup must be someone other than the primary.',
    path: ['backupUserId'],
  });
export type AssignChair = z.infer<typeof assignChairSchema>;

export const assignedUserSchema = z.object({ userId: z.string(), displayName: z.string() });
export type AssignedUser = z.infer<typeof assignedUserSchema>;

/** One chair of `GET /api/v1/assignments`: every chair, with its primary and backup (null when none). */
export const chairAssignmentSchema = z.object({
  chairId: z.string(),
  chairName: z.string(),
  primary: assignedUserSchema.nullable(),
  backup: assignedUserSchema.nullable(),
  assignedBy: z.string().nullable(),
  assignedAtMs: z.number().nullable(),
});
export type ChairAssignment = z.infer<typeof chairAssignmentSchema>;

/** Who may be assigned: active nurses and clinicians (for the shift dialog's pickers). */
export const assignableUserSchema = assignedUserSchema.extend({ role: z.enum(['nurse', 'clinician']) });
export type AssignableUser = z.infer<typeof assignableUserSchema>;

export const assignmentsListSchema = z.object({
  assignments: z.array(chairAssignmentSchema),
  users: z.array(assignableUserSchema),
});
export type AssignmentsList = z.infer<typeof assignmentsListSchema>;

/** Whom an escalation step reaches: the primary, then the backup, then every nurse on shift. */
export const reachStepSchema = z.enum(['primary', 'backup', 'all']);

/**
 * An alert event of type `escalated-to`: the alarm, unacknowledged, reached these people at `atMs`.
 * Stored with the alert's events and broadcast as `alert-reach`.
 */
export const escalationStepSchema = z.object({
  type: z.literal('escalated-to'),
  alertId: z.string(),
  sessionId: z.string(),
  chairId: z.string(),
  priority: alertPrioritySchema,
  step: reachStepSchema,
  recipients: z.array(assignedUserSchema),
  atMs: z.number(),
});
export type EscalationStep = z.infer<typeof escalationStepSchema>;

/** `GET /api/v1/assignments/escalations?sessionId=`: a session's escalation steps, oldest first. */
export const escalationListSchema = z.array(escalationStepSchema);
