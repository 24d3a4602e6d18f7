import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from './error-code.js';

/** The body of every error response. */
export class ErrorBody {
  /** Always false. */
  success: false;

  @ApiProperty({ enum: ERROR_CODES, example: 'VALIDATION_FAILED' })
  code: ErrorCode;

  /**
   * What went wrong, for people.
   * @example "identifier must be a string"
   */
  message: string;

  /**
   * Machine-readable particulars, e.g. `fields` for validation, `attempts_remaining`, `retry_after_seconds`.
   */
  @ApiProperty({ type: 'object', additionalProperties: true })
  details?: Record<string, unknown>;

  /**
   * Correlates this response with the server's logs; also sent as `X-Request-Id`.
   * @example "5d9c1f0e-3c1b-4a7e-9a51-0f7d7a6f2b3c"
   */
  request_id: string;
}
