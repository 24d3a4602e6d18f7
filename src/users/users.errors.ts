import { DomainError } from '../common/errors/domain-error.js';

export class IdentifierTakenError extends DomainError {
  constructor() {
    super('IDENTIFIER_TAKEN', 'An account with this identifier already exists; log in instead');
  }
}

export class UsernameTakenError extends DomainError {
  constructor() {
    super('USERNAME_TAKEN', 'This username is taken; choose another');
  }
}

export class AccountNotFoundError extends DomainError {
  constructor() {
    super('ACCOUNT_NOT_FOUND', 'No account exists for this identifier; register instead');
  }
}

export class AccountDisabledError extends DomainError {
  constructor() {
    super('ACCOUNT_DISABLED', 'This account is deactivated');
  }
}
