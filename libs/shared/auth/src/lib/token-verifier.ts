import { AppError } from '@gov/service-kit';
import { type JWTVerifyGetKey, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { AuthErrorCode, AuthErrorMessage } from './auth.errors';
import { AUTH_DEFAULTS, type AuthOptions } from './auth.options';
import { ACCESS_TOKEN_TYPE, type Principal, principalFromClaims } from './principal';

const MAX_TOKEN_LENGTH = 8192;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function refused(code: AuthErrorCode): AppError {
  return AppError.unauthorized(code, AuthErrorMessage[code]);
}

/**
 * Verifies access tokens: signature against the JWKS (one refetch per cooldown on an unknown kid, so a flood of
 * made-up kids cannot turn into a flood of JWKS requests), pinned algorithms, issuer, audience, `typ`, expiry
 * with a small clock tolerance, and a maximum token age.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly algorithms: string[];
  // Insertion-ordered Map used as an LRU of tokens whose signature and claims already verified.
  private readonly verified = new Map<string, Principal>();
  private readonly cacheSize: number;

  constructor(private readonly options: AuthOptions) {
    this.algorithms = options.algorithms ?? [...AUTH_DEFAULTS.algorithms];
    this.cacheSize = options.verifiedCacheSize ?? AUTH_DEFAULTS.verifiedCacheSize;
    if (options.keyResolver) {
      this.keys = options.keyResolver;
    } else if (options.jwksUrl) {
      this.keys = createRemoteJWKSet(new URL(options.jwksUrl), {
        cooldownDuration: options.jwksCooldownMs ?? AUTH_DEFAULTS.jwksCooldownMs,
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? AUTH_DEFAULTS.jwksCacheMaxAgeMs,
        timeoutDuration: 3000,
      });
    } else {
      throw new Error('AuthOptions needs jwksUrl or keyResolver');
    }
  }

  async verify(token: string): Promise<Principal> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) throw refused(AuthErrorCode.MalformedToken);
    const cached = this.verified.get(token);
    if (cached) {
      const toleranceMs = (this.options.clockToleranceSeconds ?? AUTH_DEFAULTS.clockToleranceSeconds) * 1000;
      if (cached.expiresAt.getTime() + toleranceMs > Date.now()) {
        this.verified.delete(token);
        this.verified.set(token, cached);
        return { ...cached };
      }
      this.verified.delete(token);
    }
    let payload: Record<string, unknown>;
    try {
      const result = await jwtVerify(token, this.keys, {
        algorithms: this.algorithms,
        issuer: this.options.issuer,
        audience: this.options.audience,
        typ: ACCESS_TOKEN_TYPE,
        clockTolerance: this.options.clockToleranceSeconds ?? AUTH_DEFAULTS.clockToleranceSeconds,
        maxTokenAge: this.options.maxTokenAgeSeconds ?? AUTH_DEFAULTS.maxTokenAgeSeconds,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
      });
      payload = result.payload;
    } catch (e) {
      throw mapJoseError(e);
    }
    const principal = principalFromClaims(payload);
    if (!principal) throw refused(AuthErrorCode.InvalidToken);
    if (this.cacheSize > 0) {
      if (this.verified.size >= this.cacheSize) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, principal);
    }
    return { ...principal };
  }
}

function mapJoseError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof errors.JWTExpired) return refused(AuthErrorCode.ExpiredToken);
  if (e instanceof errors.JWTClaimValidationFailed) {
    return refused(e.claim === 'typ' ? AuthErrorCode.WrongTokenType : AuthErrorCode.InvalidToken);
  }
  if (e instanceof errors.JWKSNoMatchingKey) return refused(AuthErrorCode.UnknownKey);
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid) {
    return new AppError(503, 'KeysUnavailable', 'The identity service keys could not be fetched; try again shortly.');
  }
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return refused(AuthErrorCode.MalformedToken);
  if (e instanceof errors.JOSEError) return refused(AuthErrorCode.InvalidToken);
  if (e instanceof TypeError || e instanceof SyntaxError) return refused(AuthErrorCode.MalformedToken);
  // A failed JWKS fetch (network) surfaces as a plain Error from fetch.
  return new AppError(503, 'KeysUnavailable', 'The identity service keys could not be fetched; try again shortly.');
}
