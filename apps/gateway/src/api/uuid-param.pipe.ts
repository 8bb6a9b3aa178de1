import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isUuid } from '@switchboard/common/ids';
import { ValidationFailedError } from '@switchboard/common/errors';

/** A path parameter that must be a UUID: 400 naming the parameter otherwise (never a 500, never a forward). */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !isUuid(value)) {
      throw new ValidationFailedError([
        { path: metadata.data ?? 'id', message: 'must be a UUID', code: 'invalid_string' },
      ]);
    }
    return value.toLowerCase();
  }
}
