/**
 * The one error type services throw for expected failures. `status` is the HTTP status it maps to, `code` a stable
 * machine-readable reason, `message` a sentence a person can act on.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static badRequest(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError(400, code, message, details);
  }
  static unauthorized(code: string, message: string): AppError {
    return new AppError(401, code, message);
  }
  static forbidden(code: string, message: string): AppError {
    return new AppError(403, code, message);
  }
  static notFound(code: string, message: string): AppError {
    return new AppError(404, code, message);
  }
  static conflict(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError(409, code, message, details);
  }
  static unprocessable(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError(422, code, message, details);
  }
}
