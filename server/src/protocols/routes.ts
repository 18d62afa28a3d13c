import { Router } from 'express';
import { protocolInputSchema } from '@chairside/shared';
import { anyUser, requireRole, userOf } from '../auth/auth.middleware';
import type { ProtocolsService } from './protocols.service';

export function protocolRoutes(protocols: ProtocolsService): Router {
  const router = Router();
  router.get('/', anyUser, async (_req, res) => {
    res.json(await protocols.list());
  });
  router.post('/', requireRole('admin'), async (req, res) => {
    const input = protocolInputSchema.parse(req.body);
    res.status(201).json(await protocols.save(input, userOf(res).user.username));
  });
  return router;
}
