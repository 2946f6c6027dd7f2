import { formatDiagnostics, sortDiagnostics } from '../../manifest/diagnostics.js';
import { loadManifest } from '../../plan/load.js';
import type { Io } from '../io.js';

export interface ValidateOptions {
  file: string;
  format?: 'text' | 'json';
}

/** Exit 0 when the manifest is valid (warnings allowed), 1 with every message otherwise. */
export async function validate(opts: ValidateOptions, io: Io): Promise<number> {
  const result = loadManifest(opts.file);
  if (opts.format === 'json') {
    io.out(
      JSON.stringify(
        { valid: result.ok, file: result.file, diagnostics: sortDiagnostics(result.diagnostics) },
        null,
        2,
      ),
    );
    return result.ok ? 0 : 1;
  }
  // Each block ends with its newline, so what follows never starts on the summary's line.
  if (result.diagnostics.length) (result.ok ? io.out : io.err)(`${formatDiagnostics(result.diagnostics)}\n`);
  if (result.ok) {
    io.out(
      `${result.file}: valid (${result.manifest.services.length} service${result.manifest.services.length === 1 ? '' : 's'})\n`,
    );
    return 0;
  }
  return 1;
}
