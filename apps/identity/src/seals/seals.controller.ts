import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Public, type Principal, RateLimit, actorLabel } from '@gov/auth';
import { AppError } from '@gov/service-kit';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { RatePolicy } from '../auth/rate-limits';
import { SealDocumentDto, VerifyDocumentDto, VerifySealDto } from './dtos/seal.dto';
import { type DocumentVerification, SealsService } from './seals.service';
import { verificationPage, wantsHtml } from './verification-page';

@ApiTags('seals')
@Controller()
export class SealsController {
  constructor(
    private readonly seals: SealsService,
    private readonly audit: AuditService,
  ) {}

  /** Seal a document with the department's electronic seal (电子印章). */
  @Post('seals/documents')
  @Authenticated()
  async seal(@Body() dto: SealDocumentDto, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    try {
      const sealed = await this.seals.seal(p, dto);
      await this.audit.record({ actor: p.actor?.subject ?? p.subject, actorLabel: actorLabel(p), action: 'seal.apply', target: dto.documentCode, outcome: 'success', ip: req.ip, details: { orgCode: dto.orgCode, sha256: sealed.sha256, seal: sealed.sealSerial } });
      return sealed;
    } catch (e) {
      // 403s are recorded by the auth kit's RefusalAuditInterceptor.
      if (e instanceof AppError && e.status !== 403) await this.audit.record({ actor: p.actor?.subject ?? p.subject, actorLabel: actorLabel(p), action: 'seal.apply', target: dto.documentCode, outcome: 'failure', ip: req.ip, details: { reason: e.code } });
      throw e;
    }
  }

  @Post('seals/verify')
  @Public()
  @RateLimit(RatePolicy.SignatureVerify)
  @HttpCode(200)
  verifySeal(@Body() dto: VerifySealDto) {
    return this.seals.verifySeal(dto.jws, dto.contentBase64);
  }

  /** 文档验证服务: look a document up by its code (the QR code on a notice): JSON, or a page for a browser. */
  @Get('verify/documents/:code')
  @Public()
  @RateLimit(RatePolicy.DocumentVerify)
  async byCode(@Param('code') code: string, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response): Promise<DocumentVerification | string> {
    const v = await this.seals.verifyDocument(code);
    if (!wantsHtml(accept)) return v;
    res.type('html');
    return verificationPage(v);
  }

  /** 文档验证服务: look a document up by the SHA-256 of a file someone holds. */
  @Get('verify/documents')
  @Public()
  @RateLimit(RatePolicy.DocumentVerify)
  byHash(@Query('sha256') sha256?: string) {
    if (!sha256) throw AppError.badRequest('HashRequired', 'Give ?sha256=<hex> or use /verify/documents/<code>.');
    return this.seals.verifyByHash(sha256);
  }

  /** 文档验证服务: is this file (or hash) the document sealed under this code? */
  @Post('verify/documents')
  @Public()
  @RateLimit(RatePolicy.DocumentVerify)
  @HttpCode(200)
  compare(@Body() dto: VerifyDocumentDto) {
    return this.seals.verifyDocument(dto.documentCode, { contentBase64: dto.contentBase64, sha256: dto.sha256 });
  }
}
