import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody } from '../errors/error-body.dto.js';
import { ERROR_STATUS, type ErrorCode } from '../errors/error-code.js';

/** Codes any route can answer with. */
const ALWAYS: ErrorCode[] = ['VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'HEADERS_TOO_LARGE', 'SERVICE_UNAVAILABLE', 'INTERNAL_ERROR'];

/** Documents the error responses of a route: one entry per status, listing the codes it may carry. */
export function ApiErrorResponses(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...codes, ...ALWAYS])) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, statusCodes]) =>
      ApiResponse({
        status,
        description: `Error body with \`code\` ${statusCodes.map((c) => `\`${c}\``).join(' or ')}`,
        type: ErrorBody,
        example: {
          success: false,
          code: statusCodes[0],
          message: 'What went wrong',
          request_id: '5d9c1f0e-3c1b-4a7e-9a51-0f7d7a6f2b3c',
        },
      }),
    ),
  );
}
