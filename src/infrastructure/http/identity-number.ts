/**
 * The optional `identityNumber` field of a request body: normalised (spaces and dashes dropped,
 * letters upper-cased), then checked against the CNIE shape. One decorator for every DTO that
 * takes it, so the rule and its message are written once.
 */
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
import { IDENTITY_NUMBER, normaliseIdentityNumber } from '../../domain/signature/identity-number';

export function IsOptionalIdentityNumber(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseIdentityNumber(value) : value)),
    IsString(),
    Matches(IDENTITY_NUMBER, { message: 'identityNumber must be a CNIE number: one or two letters then digits' }),
  );
}
