/**
 * Errors a user can act on. Commands throw UserError (or return a non-zero exit code after
 * printing); only the CLI's top level prints an error and chooses the exit code.
 */
export class UserError extends Error {
  /** Numbered next steps, each ideally an exact command. */
  readonly actions: string[];
  /** Already-formatted detail printed under the message (e.g. diagnostics). */
  readonly detail?: string;

  constructor(message: string, options: { actions?: string[]; detail?: string } = {}) {
    super(message);
    this.name = 'UserError';
    this.actions = options.actions ?? [];
    if (options.detail !== undefined) this.detail = options.detail;
  }
}

export const REPORT_URL = 'https://github.com/stackplan/stackplan/issues/new';

export function formatUserError(e: UserError): string {
  const lines = [];
  if (e.detail) lines.push(e.detail);
  lines.push(`error: ${e.message}`);
  if (e.actions.length) {
    lines.push('what to do:');
    e.actions.forEach((a, i) => {
      lines.push(`  ${i + 1}. ${a}`);
    });
  }
  // A complete block: whatever is printed next starts on its own line, whichever Io prints it.
  return `${lines.join('\n')}\n`;
}
