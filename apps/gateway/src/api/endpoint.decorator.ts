import { applyDecorators, HttpCode } from '@nestjs/common';
import { Public, Roles } from '../auth/access.decorators';
import { ApiRoute, RouteDoc } from '../openapi/api-docs.decorators';

/**
 * One declaration per route: who may call it (roles, or public when none are given) and its
 * documentation in /api/docs, built from the same zod schemas the route validates with.
 */
export function Endpoint(doc: RouteDoc): MethodDecorator {
  const access = doc.roles ? Roles(...doc.roles) : Public();
  const decorators: MethodDecorator[] = [access, ApiRoute(doc)];
  if (doc.status) decorators.push(HttpCode(doc.status));
  return applyDecorators(...decorators);
}

export const ALL_STAFF = ['admin', 'supervisor', 'operator'] as const;
