import { Body, Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { EraseSignatoryDataCommand, EraseSignatoryDataResult } from './erase-signatory-data.command';
import { EraseSignatoryDataDto, EraseSignatoryDataResponse } from './erase-signatory-data.dto';

@ApiTags('signatory data')
@Controller('signers')
export class EraseSignatoryDataController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(EraseSignatoryDataCommand, {
    path: 'erasure',
    status: 200,
    rateLimit: 'posting',
    summary: 'Erase a signatory’s personal data',
    description:
      'By the signatory (a citizen token in which the identity provider attests the identity number), or by an admin acting on a written request (identityNumber and requestReference). The data keys are deleted: name, number and address become unreadable everywhere and lists show them as erased, while the signatures still count and the history and its hash chains stay valid. One SignatoryDataErased event per signature. 404 SIGNATORY_DATA_NOT_FOUND when nothing readable is left.',
    response: EraseSignatoryDataResponse,
  })
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
