import { SetMetadata } from '@nestjs/common';
import type { Role } from './actor';

export const ROLES_KEY = 'switchboard:roles';
export const PUBLIC_KEY = 'switchboard:public';

/**
 * The roles allowed on a route (or on every route of a controller). The global AccessGuard denies
 * by default: a route with neither @Roles nor @Public answers 403.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** No operator authentication (login, refresh, web chat endpoints with their own token, static files). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
