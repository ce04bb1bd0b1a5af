export declare const entries: [outfile: string, entry: string, kind: 'node' | 'preload'][];
/** The CLI and the workers it loads next to itself. */
export declare const CLI_BUNDLES: string[];
export declare function buildMain(options?: {
  only?: string[];
  outdir?: string;
}): Promise<string[]>;
