import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditsOwnRefusals, Authenticated, CurrentPrincipal, OFFICER_ROLES, type Principal, Public, RateLimit } from '@gov/auth';
import { AppError } from '@gov/service-kit';
import type { Request, Response } from 'express';
import { AuthService } from './auth.service';
import { RatePolicy } from './rate-limits';
import { ClientCredentialsDto, DelegatedTokenDto, LoginDto, RefreshDto, type TokenResponse } from './dtos/auth.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/login')
  @Public()
  @RateLimit(RatePolicy.Login)
  @AuditsOwnRefusals()
  @HttpCode(200)
  login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    res.setHeader('Cache-Control', 'no-store');
    return this.auth.login(dto, { ip: req.ip });
  }

  @Post('auth/refresh')
  @Public()
  @RateLimit(RatePolicy.Refresh)
  @AuditsOwnRefusals()
  @HttpCode(200)
  refresh(@Body() dto: RefreshDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    res.setHeader('Cache-Control', 'no-store');
    return this.auth.refresh(dto.refresh_token, { ip: req.ip });
  }

  @Post('auth/logout')
  @Authenticated()
  @HttpCode(204)
  async logout(@Body() dto: RefreshDto, @CurrentPrincipal() p: Principal, @Req() req: Request): Promise<void> {
    await this.auth.logout(dto.refresh_token, p.actor?.subject ?? p.subject, { ip: req.ip });
  }

  /** OAuth 2.0 client credentials for services and workers. */
  @Post('oauth/token')
  @Public()
  @RateLimit(RatePolicy.Token)
  @AuditsOwnRefusals()
  @HttpCode(200)
  token(@Body() dto: ClientCredentialsDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    res.setHeader('Cache-Control', 'no-store');
    return this.auth.clientCredentials(dto.client_id, dto.client_secret, { ip: req.ip });
  }

  /** A deputy exchanges their own token for one acting under a delegation (授权 / AB岗). */
  @Post('auth/token/delegated')
  @Authenticated(...OFFICER_ROLES)
  @HttpCode(200)
  delegated(@Body() dto: DelegatedTokenDto, @CurrentPrincipal() p: Principal, @Req() req: Request): Promise<TokenResponse> {
    if (p.actor) throw AppError.forbidden('AlreadyDelegated', 'A delegated token cannot be delegated again; use your own token.');
    return this.auth.delegatedToken(p.subject, dto.delegationId, { ip: req.ip });
  }
}
