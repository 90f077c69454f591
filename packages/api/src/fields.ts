import { ROLES } from '@pulse/db';
import { z } from 'zod';

// Field types reused by several domains' contracts.
export const idSchema = z.uuid();
export const roleSchema = z.enum(ROLES);
export const timestampSchema = z.iso.datetime({ offset: true });
export const emailSchema = z.email().max(254);
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(256);
export const displayNameSchema = z.string().trim().min(1).max(100);
export const workspaceRefSchema = z.object({ id: idSchema, name: z.string() });
export const successSchema = z.object({ success: z.literal(true) });
