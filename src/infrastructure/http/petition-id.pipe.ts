import { Injectable, PipeTransform } from '@nestjs/common';
import { RequestValidationError } from './problem-details';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Petition ids are UUIDs: anything else is a 400 naming the path parameter, never a lookup. */
@Injectable()
export class PetitionIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new RequestValidationError([{ field: 'id', messages: ['id must be a UUID'] }]);
    return value.toLowerCase();
  }
}

/** The same check for another UUID path parameter, named in the 400: `@Param('x', new UuidParamPipe('x'))`. */
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly parameter: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new RequestValidationError([{ field: this.parameter, messages: [`${this.parameter} must be a UUID`] }]);
    return value.toLowerCase();
  }
}
