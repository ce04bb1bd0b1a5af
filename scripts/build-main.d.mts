export declare const entries: [outfile: string, entry: string, kind: 'node' | 'preload'][];
export declare function buildMain(options?: {
  only?: string[];
  outdir?: string;
}): Promise<string[]>;
