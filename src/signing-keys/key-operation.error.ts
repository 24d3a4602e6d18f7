/** A key operation refused for a reason the operator can act on; the command line prints it without a stack. */
export class KeyOperationError extends Error {
  constructor(
    message: string,
    readonly kind: 'bad-input' | 'not-found' = 'bad-input',
  ) {
    super(message);
  }
}
