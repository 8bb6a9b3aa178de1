import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import type { Role } from '../auth/actor';
import { JsonSchema, zodToJsonSchema } from './zod-json-schema';

const errorSchema: SchemaObject = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
      required: ['code', 'message', 'details'],
    },
  },
};

function asSchema(schema: JsonSchema): SchemaObject {
  return schema as SchemaObject;
}

export interface RouteDoc {
  summary: string;
  description?: string;
  roles?: Role[];
  body?: z.ZodTypeAny;
  query?: z.AnyZodObject;
  /** the success status (default 200) */
  status?: number;
}

/** Documents a route for /api/docs from the same zod schemas and roles the route enforces. */
export function ApiRoute(doc: RouteDoc): MethodDecorator {
  const decorators: Array<MethodDecorator | ClassDecorator> = [
    ApiOperation({
      summary: doc.summary,
      description: [doc.description, doc.roles ? `Roles: ${doc.roles.join(', ')}.` : 'Public.']
        .filter(Boolean)
        .join('\n\n'),
    }),
    ApiResponse({ status: doc.status ?? 200, description: 'Success' }),
    ApiResponse({
      status: 400,
      description: 'Invalid input (details.fields names the fields)',
      schema: errorSchema,
    }),
  ];
  if (doc.roles) {
    decorators.push(
      ApiBearerAuth(),
      ApiUnauthorizedResponse({ description: 'No valid token', schema: errorSchema }),
      ApiForbiddenResponse({ description: 'Role not allowed', schema: errorSchema }),
    );
  }
  if (doc.body) decorators.push(ApiBody({ schema: asSchema(zodToJsonSchema(doc.body)) }));
  if (doc.query) {
    for (const [name, value] of Object.entries(doc.query.shape as Record<string, z.ZodTypeAny>)) {
      decorators.push(
        ApiQuery({ name, required: !value.isOptional(), schema: asSchema(zodToJsonSchema(value)) }),
      );
    }
  }
  return applyDecorators(...decorators);
}

export { errorSchema };
