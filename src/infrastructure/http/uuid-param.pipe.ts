import { Injectable, PipeTransform } from '@nestjs/common';
import { RequestValidationError } from './problem-details';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids of threads, messages, commitments and officials are UUIDs: anything else is a 400 naming the parameter. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new RequestValidationError([{ field: this.field, messages: [`${this.field} must be a UUID`] }]);
    return value.toLowerCase();
  }
}

export const uuidParam = (field: string) => new UuidParamPipe(field);

/** Council ids are slugs (`commune-sefrou`): anything else is a 400 naming the parameter. */
@Injectable()
export class CouncilIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+){0,10}$/.test(value) || value.length > 100) {
      throw new RequestValidationError([{ field: 'councilId', messages: ['councilId must be a council id such as commune-sefrou'] }]);
    }
    return value;
  }
}
