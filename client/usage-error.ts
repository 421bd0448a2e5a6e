// A bad command line: the CLI prints its message on one line and exits 2.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
