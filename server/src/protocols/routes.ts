import { Router } from 'express';
import { protocolInputSchema } from '@chairside/shared';
import { anyUser, requireRole, userOf } from '../auth/auth.middleware';
import { type AuditService, auditActorOf, clientIp } from '../audit/audit.service';
import type { ProtocolsService } from './protocols.service';

export function protocolRoutes(protocols: ProtocolsService, audit: AuditService): Router {
  const router = Router();
  router.get('/', anyUser, async (_req, res) => {
    res.json(await protocols.list());
  });
  router.post('/', requireRole('admin'), async (req, res) => {
    const input = protocolInputSchema.parse(req.body);
    const { user } = userOf(res);
    const protocol = await protocols.save(input, user.username);
    await audit.record(auditActorOf(user), {
      action: 'protocol-saved',
      targetType: 'protocol',
      targetId: protocol.id,
      details: { version: protocol.version },
      ip: clientIp(req),
    });
    res.status(201).json(protocol);
  });
  return router;
}
