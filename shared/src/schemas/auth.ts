import { z } from 'zod';
import { idSchema, roleSchema } from './common';

export const loginRequestSchema = z
  .object({
    username: z.string().trim().min(1, 'enter a username').max(64),
    password: z.string().min(1, 'enter a password').max(256),
  })
  .strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const publicUserSchema = z.object({
  id: idSchema,
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
});
export type PublicUser = z.infer<typeof publicUserSchema>;

export const demoAccountSchema = z.object({ username: z.string(), password: z.string(), role: roleSchema });
export type DemoAccount = z.infer<typeof demoAccountSchema>;

/**
 * `GET /api/auth/session`: who is logged in, (demo mode only) how a newcomer logs in, and
 * `noUsersYet: true` while the clinic has no account at all (first start without ADMIN_PASSWORD).
 */
export const authStatusSchema = z.object({
  user: publicUserSchema.nullable(),
  demoAccounts: z.array(demoAccountSchema).nullable(),
  noUsersYet: z.boolean().optional(),
});
export type AuthStatus = z.infer<typeof authStatusSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9._-]+$/, 'use lowercase letters, digits, ".", "_" or "-"');

export const createUserSchema = z
  .object({
    username: usernameSchema,
    password: z.string().min(8, 'use at least 8 characters').max(256),
    role: roleSchema,
    displayName: z.string().trim().min(1).max(80).optional(),
  })
  .strict();
export type CreateUser = z.infer<typeof createUserSchema>;

/** `PATCH /api/v1/users/:id` (admin): disable/enable, reset the password, change role or name. */
export const updateUserSchema = z
  .object({
    displayName: z.string().trim().min(1).max(80).optional(),
    role: roleSchema.optional(),
    password: z.string().min(8, 'use at least 8 characters').max(256).optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((u) => Object.keys(u).length > 0, 'change at least one field');
export type UpdateUser = z.infer<typeof updateUserSchema>;

export const userListItemSchema = publicUserSchema.extend({ disabled: z.boolean() });
export type UserListItem = z.infer<typeof userListItemSchema>;

/** `POST /api/v1/device-tokens` (admin). The token itself is shown once, in the answer. */
export const createDeviceTokenSchema = z.object({ label: z.string().trim().min(1, 'name the device').max(80) }).strict();

export const deviceTokenSchema = z.object({
  id: idSchema,
  label: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type DeviceToken = z.infer<typeof deviceTokenSchema>;
