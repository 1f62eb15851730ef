import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { EraseSignatoryDataCommand, EraseSignatoryDataResult } from './erase-signatory-data.command';
import { EraseSignatoryDataDto, EraseSignatoryDataResponse } from './erase-signatory-data.dto';

@ApiTags('signatory data')
@ApiBearerAuth()
@Controller('signers')
export class EraseSignatoryDataController {
  constructor(private readonly commands: CommandBus) {}

  @Post('erasure')
  @HttpCode(200)
  @Roles(...EraseSignatoryDataCommand.roles)
  @ApiOperation({
    summary: 'Erase a signatory’s personal data',
    description:
      'By the signatory (a citizen token in which the identity provider attests the identity number), or by an admin acting on a written request (identityNumber and requestReference). The data keys are deleted: name, number and address become unreadable everywhere and lists show them as erased, while the signatures still count and the history and its hash chains stay valid. One SignatoryDataErased event per signature. 404 SIGNATORY_DATA_NOT_FOUND when nothing readable is left.',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: EraseSignatoryDataResponse })
  @ApiCommandErrors()
  erase(@Body() body: EraseSignatoryDataDto, @Ctx() metadata: CommandMetadata): Promise<EraseSignatoryDataResponse> {
    return this.commands.execute<EraseSignatoryDataCommand, EraseSignatoryDataResult>(
      new EraseSignatoryDataCommand({
        petitionId: body.petitionId?.toLowerCase(),
        identityNumber: body.identityNumber,
        requestReference: body.requestReference,
        metadata,
      }),
    );
  }
}
