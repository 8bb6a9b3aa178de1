import { z } from 'zod';

export const loginSchema = z.object({
  email: z.string().trim().email().max(320),
  password: z.string().min(1).max(1024),
});

export const refreshSchema = z.object({ refreshToken: z.string().min(10).max(512) });

export const logoutSchema = z.object({ refreshToken: z.string().min(10).max(512).optional() }).default({});
