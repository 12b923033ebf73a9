declare const PORTLENS_VERSION: string | undefined;

/** The package's version, which the bundles carry (esbuild defines it); `0.0.0-dev` when run from compiled sources. */
export const VERSION = typeof PORTLENS_VERSION === 'string' ? PORTLENS_VERSION : '0.0.0-dev';
