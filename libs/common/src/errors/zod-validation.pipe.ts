import { Injectable, PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from './parse-body';

/** `@Body(new ZodValidationPipe(schema)) body: z.output<typeof schema>` (also for @Query and @Param). */
@Injectable()
export class ZodValidationPipe<S extends z.ZodTypeAny> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    return parseBody(this.schema, value);
  }
}
