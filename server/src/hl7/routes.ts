import { Router } from 'express';
import { z } from 'zod';
import { type Device, type Hl7UnmappedMessage, createDeviceSchema, deviceIdSchema } from '@chairside/shared';
import { requireRole, userOf } from '../auth/auth.middleware';
import type { AuditService } from '../audit/audit.service';
import { audited } from '../audit/audited';
import { type Hl7DevicesService, keptUnmappedMessages } from './devices.service';

/** `/api/v1/devices`: bedside monitors bound to chairs (admin). */
export function deviceRoutes(devices: Hl7DevicesService, audit: AuditService): Router {
  const router = Router();
  router.use(requireRole('admin'));
  router.get('/', async (_req, res) => {
    res.json((await devices.list()) satisfies Device[]); // the dashboard's schemas (docs/architecture.md, "The contract")
  });
  router.post(
    '/',
    audited(audit, {
      run: (req, res) => devices.register(createDeviceSchema.parse(req.body), userOf(res).user.username),
      entry: (device) => ({ action: 'device-registered', targetType: 'device', targetId: device.deviceId, details: { chairId: device.chairId } }),
      status: 201,
    }),
  );
  router.delete(
    '/:deviceId',
    audited(audit, {
      run: async (req) => {
        const deviceId = deviceIdSchema.parse(req.params.deviceId);
        await devices.remove(deviceId);
        return deviceId;
      },
      entry: (deviceId) => ({ action: 'device-removed', targetType: 'device', targetId: deviceId }),
      reply: (res) => res.status(204).end(),
    }),
  );
  return router;
}

const unmappedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(keptUnmappedMessages).default(100),
});

/** `/api/v1/hl7`: HL7 messages that mapped to no chair (admin). */
export function hl7Routes(devices: Hl7DevicesService): Router {
  const router = Router();
  router.use(requireRole('admin'));
  router.get('/unmapped', async (req, res) => {
    const { limit } = unmappedQuerySchema.parse(req.query);
    res.json((await devices.listUnmapped(limit)) satisfies Hl7UnmappedMessage[]);
  });
  return router;
}
