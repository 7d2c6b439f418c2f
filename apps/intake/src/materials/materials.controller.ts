import { PassThrough } from 'node:stream';
import { Authenticated, CurrentPrincipal, type Principal, Role } from '@gov/auth';
import { AcceptsBody, ApiErrors, AppError, ParseCodeParam, ParseUuidParam, requireIdempotencyKey } from '@gov/service-kit';
import { contentDisposition, downloadName } from '@gov/storage';
import { Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type ApplicationRef, ApplicationRefPipe } from '../applications/application-ref';
import { IntakeErrors } from '../errors';
import { MaterialFileDto, MaterialsReceiptDto } from './dtos/material.dto';
import { MaterialsService } from './materials.service';

/** Media types an upload may be declared as; the declaration is ignored and the type detected from the bytes. */
export const UPLOAD_MEDIA_TYPES = ['application/octet-stream', 'application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'application/ofd'];

/** A refused upload's unread body is drained up to this many bytes so the client reads the answer; beyond, the connection closes. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

const REF_PARAM = { name: 'caseNumber', description: 'Case number (e.g. 449900-20261122-000001) or application id (UUID)' };

@ApiTags('materials')
@Controller('applications/:caseNumber/materials')
export class MaterialsController {
  constructor(private readonly materials: MaterialsService) {}

  @Authenticated(Role.Applicant, Role.WindowClerk)
  @Post(':slotKey')
  @AcceptsBody(...UPLOAD_MEDIA_TYPES)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Upload one file for a material slot (raw body, streamed)',
    description:
      'The body is the file itself. Its type is detected from its bytes (PDF, JPEG, PNG, TIFF; OFD as a checked zip), whatever it is called or declared as, and must be one the slot accepts; the slot limits its size (413 naming the limit, checked while streaming). The pages of a PDF or OFD are counted (apart from the service, bounded in time and memory) and recorded; one whose pages cannot be counted is refused (422 MaterialUnreadable: re-save it and upload again). The SHA-256 is recorded; the same file twice in one application is refused. Refused once the application is accepted (materials frozen).',
  })
  @ApiParam(REF_PARAM)
  @ApiParam({ name: 'slotKey', description: "Key of a material slot of the application's matter version", example: 'businessLicence' })
  @ApiQuery({ name: 'fileName', required: false, description: 'The file name to show (a label, never a path); default the slot key' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'A retry with the same key and file returns the same record (Idempotent-Replayed: true)' })
  @ApiConsumes(...UPLOAD_MEDIA_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: MaterialFileDto })
  @ApiErrors(
    IntakeErrors,
    'InvalidApplicationRef',
    'InvalidText',
    'MalformedBody',
    'InvalidFileName',
    'ArchiveRefused',
    'IdempotencyKeyMissing',
    'IdempotencyKeyInvalid',
    'MissingToken',
    'InvalidToken',
    'InsufficientRole',
    'NotOwnApplication',
    'OutsideOrganisation',
    'ApplicationNotFound',
    'MaterialSlotNotFound',
    'MaterialsFrozen',
    'DuplicateMaterial',
    'IdempotencyKeyReused',
    'MaterialTooLarge',
    'UnsupportedEncoding',
    'UnsupportedMediaType',
    'MaterialTypeRefused',
    'MaterialUnreadable',
    'TooManyMaterials',
  )
  async upload(
    @Param('caseNumber', new ApplicationRefPipe('param.caseNumber')) ref: ApplicationRef,
    @Param('slotKey', ParseCodeParam.of('code')) slotKey: string,
    @Query('fileName') fileName: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MaterialFileDto> {
    try {
      const key = requireIdempotencyKey(idempotencyKey);
      if ((req as Request & { _body?: boolean })._body) {
        throw IntakeErrors.error(
          'UnsupportedMediaType',
          'Send the file itself as the body (Content-Type application/octet-stream or its own type), not JSON.',
          { accepted: UPLOAD_MEDIA_TYPES },
        );
      }
      if (fileName !== undefined && typeof fileName !== 'string') {
        const message = 'query.fileName must be given once, as text.';
        throw IntakeErrors.error('InvalidFileName', message, { field: 'query.fileName', fields: [{ field: 'query.fileName', rule: 'single', message }] });
      }
      const target = await this.materials.prepareUpload(ref, slotKey, fileName, declaredLength(req), principal);
      // Not pipeline(): a refusal must leave the request open to drain. pipe() does not pass on an abort, so do it here.
      const body = new PassThrough();
      const cut = () => {
        if (!req.complete) body.destroy(new Error('request body cut off'));
      };
      req.once('aborted', cut);
      req.once('close', cut);
      req.once('error', cut);
      req.pipe(body);
      const { result, replayed } = await this.materials.upload(target, body, key, principal);
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      return result;
    } catch (e) {
      // A client that stops sending mid-body (aborted, reset) is told so, not answered with a 500.
      const cutOff = !(e instanceof AppError) && !req.complete;
      settleUnreadBody(req, res);
      if (cutOff) throw IntakeErrors.error('MalformedBody', 'The request body could not be read to its end; send the file again.');
      throw e;
    }
  }

  @Authenticated()
  @Get()
  @ApiOperation({ summary: "The application's materials by slot, with the SHA-256 of every file: the receipt's list (接件凭证)" })
  @ApiParam(REF_PARAM)
  @ApiOkResponse({ type: MaterialsReceiptDto })
  @ApiErrors(
    IntakeErrors,
    'InvalidApplicationRef',
    'InvalidText',
    'MissingToken',
    'InvalidToken',
    'NotOwnApplication',
    'OutsideOrganisation',
    'ApplicationNotFound',
  )
  list(
    @Param('caseNumber', new ApplicationRefPipe('param.caseNumber')) ref: ApplicationRef,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MaterialsReceiptDto> {
    return this.materials.receipt(ref, principal);
  }

  @Authenticated()
  @Get(':materialId/content')
  @ApiOperation({ summary: "Download one file: the applicant's own, or an officer of the handling organisation" })
  @ApiParam(REF_PARAM)
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'application/ofd')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiErrors(
    IntakeErrors,
    'InvalidApplicationRef',
    'InvalidText',
    'MissingToken',
    'InvalidToken',
    'NotOwnApplication',
    'OutsideOrganisation',
    'ApplicationNotFound',
    'MaterialNotFound',
  )
  async download(
    @Param('caseNumber', new ApplicationRefPipe('param.caseNumber')) ref: ApplicationRef,
    @Param('materialId', ParseUuidParam) materialId: string,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    const { material, content } = await this.materials.open(ref, materialId, principal);
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('ETag', `"${material.sha256}"`);
    res.setHeader('X-Content-SHA256', material.sha256);
    const file = new StreamableFile(content, {
      type: material.contentType,
      length: material.size,
      disposition: contentDisposition(downloadName(material.fileName, material.contentType)),
    });
    // Bytes that stop matching their hash cut the response (Content-Length tells the client it is short).
    file.setErrorHandler((_err, response) => {
      response.destroy?.();
    });
    return file;
  }

  @Authenticated(Role.Applicant, Role.WindowClerk)
  @Delete(':materialId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a file before the application is accepted (to replace it); 409 once frozen' })
  @ApiParam(REF_PARAM)
  @ApiNoContentResponse()
  @ApiErrors(
    IntakeErrors,
    'InvalidApplicationRef',
    'InvalidText',
    'MissingToken',
    'InvalidToken',
    'InsufficientRole',
    'NotOwnApplication',
    'OutsideOrganisation',
    'ApplicationNotFound',
    'MaterialNotFound',
    'MaterialsFrozen',
  )
  async remove(
    @Param('caseNumber', new ApplicationRefPipe('param.caseNumber')) ref: ApplicationRef,
    @Param('materialId', ParseUuidParam) materialId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.materials.remove(ref, materialId, principal);
  }
}

function declaredLength(req: Request): number | undefined {
  const header = req.headers['content-length'];
  if (header === undefined || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header);
}

/**
 * After a refusal the body may be partly unread: drained (so the client gets to read the answer) when it is
 * declared small enough, otherwise, or once draining passes the limit, the connection closes after the response.
 */
function settleUnreadBody(req: Request, res: Response): void {
  if (req.readableEnded || req.complete) return;
  req.unpipe();
  const declared = declaredLength(req);
  const close = () => {
    res.setHeader('Connection', 'close');
    res.once('finish', () => req.socket.destroySoon());
    req.pause();
  };
  if (declared !== undefined && declared > DRAIN_LIMIT) {
    close();
    return;
  }
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained <= DRAIN_LIMIT) return;
    if (res.headersSent) req.socket.destroy();
    else close();
  });
  req.resume();
}
