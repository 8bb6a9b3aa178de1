import { z } from 'zod';

/** An OpenAPI 3 schema object (the subset this converter produces). */
export interface JsonSchema {
  type?: 'object' | 'string' | 'number' | 'integer' | 'boolean' | 'array';
  format?: string;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
}

/**
 * The OpenAPI schema of a zod schema, so the request shapes in /api/docs are the very ones the
 * routes validate with. Covers what the gateway's DTOs use; anything else shows as a free value.
 */
export function zodToJsonSchema(schema: z.ZodTypeAny): JsonSchema {
  const described = (out: JsonSchema): JsonSchema =>
    schema.description ? { ...out, description: schema.description } : out;
  if (schema instanceof z.ZodOptional) return zodToJsonSchema(schema.unwrap());
  if (schema instanceof z.ZodNullable) return { ...zodToJsonSchema(schema.unwrap()), nullable: true };
  if (schema instanceof z.ZodDefault)
    return { ...zodToJsonSchema(schema.removeDefault()), default: schema._def.defaultValue() };
  if (schema instanceof z.ZodEffects) return described(zodToJsonSchema(schema.innerType()));
  if (schema instanceof z.ZodString) {
    const out: JsonSchema = { type: 'string' };
    for (const check of schema._def.checks) {
      if (check.kind === 'min') out.minLength = check.value;
      else if (check.kind === 'max') out.maxLength = check.value;
      else if (check.kind === 'email') out.format = 'email';
      else if (check.kind === 'uuid') out.format = 'uuid';
      else if (check.kind === 'url') out.format = 'uri';
      else if (check.kind === 'datetime') out.format = 'date-time';
    }
    return described(out);
  }
  if (schema instanceof z.ZodNumber) {
    const out: JsonSchema = {
      type: schema._def.checks.some((check) => check.kind === 'int') ? 'integer' : 'number',
    };
    for (const check of schema._def.checks) {
      if (check.kind === 'min') out.minimum = check.value;
      else if (check.kind === 'max') out.maximum = check.value;
    }
    return described(out);
  }
  if (schema instanceof z.ZodBoolean) return described({ type: 'boolean' });
  if (schema instanceof z.ZodEnum) return described({ type: 'string', enum: [...schema.options] });
  if (schema instanceof z.ZodLiteral) return described({ enum: [schema.value] });
  if (schema instanceof z.ZodArray) {
    const out: JsonSchema = { type: 'array', items: zodToJsonSchema(schema.element) };
    if (schema._def.minLength) out.minItems = schema._def.minLength.value;
    if (schema._def.maxLength) out.maxItems = schema._def.maxLength.value;
    return described(out);
  }
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodTypeAny>;
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [key, value] of Object.entries(shape)) {
      properties[key] = zodToJsonSchema(value);
      if (!value.isOptional()) required.push(key);
    }
    const out: JsonSchema = { type: 'object', properties };
    if (required.length) out.required = required;
    if (schema._def.unknownKeys === 'strict') out.additionalProperties = false;
    return described(out);
  }
  if (schema instanceof z.ZodUnion || schema instanceof z.ZodDiscriminatedUnion) {
    return described({ oneOf: (schema.options as z.ZodTypeAny[]).map((option) => zodToJsonSchema(option)) });
  }
  if (schema instanceof z.ZodRecord)
    return described({ type: 'object', additionalProperties: zodToJsonSchema(schema.valueSchema) });
  return described({});
}
