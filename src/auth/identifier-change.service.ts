import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors/domain-error.js';
import { channelOf } from '../common/identifiers/identifier.js';
import { maskIdentifier } from '../common/logging/mask.js';
import { CodeDeliveryService } from '../notifications/code-delivery.service.js';
import { OtpPurpose } from '../otp/otp-purpose.js';
import { OtpService } from '../otp/otp.service.js';
import type { OtpSlot } from '../otp/otp.store.js';
import { CodeDispatchService } from './code-dispatch.service.js';
import type { UserResponseDto } from '../users/dto/user-response.dto.js';
import { toUserResponse } from '../users/dto/user-response.dto.js';
import { UsersService } from '../users/users.service.js';
import type { CodeSentDto } from './dto/identifier-change.dto.js';

/**
 * Moving an account to a new email or phone: a code (purpose CHANGE_IDENTIFIER, bound to the signed-in user)
 * goes to the new identifier; entering it moves the account and tells the old identifier. An identifier that
 * belongs to another account gets a truthful notice and no usable code, and the answer looks the same.
 */
/** A code bound to the user who asked, under a key of its own (its limits: SHARES_LIMITS_WITH). */
function changeSlot(userId: string, identifier: string): OtpSlot {
  return { purpose: OtpPurpose.CHANGE_IDENTIFIER, identifier, subject: userId };
}

@Injectable()
export class IdentifierChangeService {
  constructor(
    private readonly users: UsersService,
    private readonly otp: OtpService,
    private readonly codes: CodeDispatchService,
    private readonly delivery: CodeDeliveryService,
  ) {}

  async request(userId: string, identifier: string): Promise<CodeSentDto> {
    const current = await this.users.getActiveProfile(userId);
    if (identifier === current.email || identifier === current.phone) {
      throw new ValidationFailedError('This is already the identifier of your account', [
        { field: 'identifier', message: 'identifier is already yours' },
      ]);
    }
    const taken = await this.users.existsByIdentifier(identifier);
    const sent = await this.codes.send(changeSlot(userId, identifier), taken ? { kind: 'in-use' } : undefined);
    return { success: true, message: 'OTP sent successfully', identifier, ...sent };
  }

  async confirm(userId: string, identifier: string, code: string): Promise<UserResponseDto> {
    const before = await this.users.findById(userId);
    await this.otp.verify(changeSlot(userId, identifier), code);
    const after = await this.users.changeIdentifier(userId, identifier);
    const previous = channelOf(identifier) === 'email' ? before?.email : before?.phone;
    if (previous && previous !== identifier) {
      await this.delivery.deliver(previous, { kind: 'identifier-changed', to: maskIdentifier(identifier) }, 3600);
    }
    return toUserResponse(after);
  }
}
