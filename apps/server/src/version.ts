import { readFileSync } from 'node:fs';

/** The server package's version; read at start-up from the file that ships with it. */
export const PULSE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
