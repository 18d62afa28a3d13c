import { Router } from 'express';
import { protocolInputSchema } from '@chairside/shared';
import { anyUser, requireRole, userOf } from '../auth/auth.middleware';
import type { AuditService } from '../audit/audit.service';
import { audited } from '../audit/audited';
import type { ProtocolsService } from './protocols.service';

export function protocolRoutes(protocols: ProtocolsService, audit: AuditService): Router {
  const router = Router();
  router.get('/', anyUser, async (_req, res) => {
    res.json(await protocols.list());
  });
  router.post(
    '/',
    requireRole('admin'),
    audited(audit, {
      run: (req, res) => protocols.save(protocolInputSchema.parse(req.body), userOf(res).user.username),
      entry: (protocol) => ({ action: 'protocol-saved', targetType: 'protocol', targetId: protocol.id, details: { version: protocol.version } }),
      status: 201,
    }),
  );
  return router;
}
