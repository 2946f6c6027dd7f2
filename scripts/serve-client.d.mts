/** Bundles the serve page into OUTDIR (default dist/serve/client); resolves to the directory. */
export function buildServeClient(outdir?: string): Promise<string>;
