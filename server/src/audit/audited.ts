import type { Request, RequestHandler, Response } from 'express';
import { type AuditCaller, type AuditFacts, type AuditService, auditActorOf, clientIp } from './audit.service';

/** The caller of a request as the audit trail records them: the logged-in user (if any) and the request's address. */
export function callerOf(req: Request, res: Response): AuditCaller {
  const actor = res.locals.actor;
  return { actor: actor?.kind === 'user' ? auditActorOf(actor.user) : null, ip: clientIp(req) };
}

/** An audited HTTP action, split where the audit entry is written: after `run`, before `reply`. */
export interface AuditedRoute<T> {
  /** Reads the request and does the action (through its service); throwing refuses it, unrecorded. */
  run(req: Request, res: Response): Promise<T>;
  /** The audit entry of the done action, from its result; null records nothing. */
  entry(result: T, req: Request, res: Response): AuditFacts | null;
  /** The entry of a refused action, if refusals are audited (a failed login). */
  refusal?(error: unknown, req: Request): AuditFacts | null;
  /** Sends the answer once the entry is written; by default `result` as JSON with `status` (200). */
  reply?(res: Response, result: T): void;
  status?: number;
}

/**
 * An Express handler for an audited action: the audit trail is a step of its own rather than a
 * call in every handler. The entry is written once `run` succeeded and before the answer is sent
 * (`AuditService.audited`), with the logged-in user and the request's address, so a caller is never
 * told an action happened that the trail does not hold (docs/architecture.md, "Workspaces and
 * folders", `server/`). The stored fields are what the admin page's sentences read (audit-names.ts).
 */
export function audited<T>(audit: AuditService, route: AuditedRoute<T>): RequestHandler {
  return async (req, res) => {
    const { refusal } = route;
    const result = await audit.audited(
      callerOf(req, res),
      () => route.run(req, res),
      (done) => route.entry(done, req, res),
      refusal ? (error) => refusal(error, req) : undefined,
    );
    if (route.reply) route.reply(res, result);
    else res.status(route.status ?? 200).json(result);
  };
}
