/** Types of bin/cli-entry.js (plain JavaScript: it runs before any TypeScript support is loaded). */
export declare const BUILD_STAMP: string;
export declare function freshBuiltCli(root: string): string | null;
