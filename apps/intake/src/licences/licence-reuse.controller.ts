import { Authenticated, CurrentPrincipal, type Principal, Role } from '@gov/auth';
import { ApiErrors } from '@gov/service-kit';
import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { type ApplicationRef, ApplicationRefPipe } from '../applications/application-ref';
import { IntakeErrors } from '../errors';
import { MaterialsReceiptDto } from '../materials/dtos/material.dto';
import { MaterialsService } from '../materials/materials.service';
import { LICENCE_NUMBER } from './licence-view.dto';

export class UseLicenceDto {
  @ApiProperty({ example: 'LIC-449900-20261203-000001', description: "A valid licence of the applicant's own, of the type the slot names" })
  @Matches(LICENCE_NUMBER, { message: 'licenceNumber must be LIC-<case number>, e.g. LIC-449900-20261203-000001' })
  licenceNumber!: string;
}

/** 证照复用: a material slot taken from an issued licence instead of an upload. */
@ApiTags('materials')
@Controller('applications/:caseNumber/materials/:slotKey/licence')
export class LicenceReuseController {
  constructor(private readonly materials: MaterialsService) {}

  @Authenticated(Role.Applicant, Role.WindowClerk)
  @Put()
  @ApiOperation({ summary: "Meet a material slot marked “can be taken from an issued licence” with the applicant's own valid licence instead of a file; the slot counts as received and the receipt lists it" })
  @ApiParam({ name: 'caseNumber', description: 'Case number or application id (UUID)' })
  @ApiParam({ name: 'slotKey', example: 'businessLicence' })
  @ApiOkResponse({ type: MaterialsReceiptDto })
  @ApiErrors(
    IntakeErrors,
    'InvalidApplicationRef',
    'ValidationFailed',
    'MalformedBody',
    'NestingTooDeep',
    'InvalidText',
    'BodyTooLarge',
    'UnsupportedEncoding',
    'UnsupportedMediaType',
    'MissingToken',
    'InvalidToken',
    'InsufficientRole',
    'NotOwnApplication',
    'OutsideOrganisation',
    'ApplicationNotFound',
    'MaterialSlotNotFound',
    'LicenceNotFound',
    'LicenceNotAccepted',
    'LicenceNotUsable',
    'LicenceOfAnotherHolder',
    'MaterialsFrozen',
    'ApplicationStateConflict',
  )
  use(@Param('caseNumber', new ApplicationRefPipe('param.caseNumber')) ref: ApplicationRef, @Param('slotKey') slotKey: string, @Body() body: UseLicenceDto, @CurrentPrincipal() p: Principal): Promise<MaterialsReceiptDto> {
    return this.materials.useLicence(ref, slotKey, body.licenceNumber, p);
  }
}
