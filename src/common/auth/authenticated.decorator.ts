import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { ErrorCode } from '../errors/error-code.js';
import { ApiErrorResponses } from '../swagger/api-error-responses.decorator.js';

/** Marks a route as needing an access token in Swagger (the lock icon) and documents the 401. */
export function Authenticated(...codes: ErrorCode[]) {
  return applyDecorators(ApiBearerAuth(), ApiErrorResponses('UNAUTHENTICATED', ...codes));
}
