import { readFileSync } from 'node:fs';

export const PROJECT_ROOT = new URL('../../', import.meta.url);

export const VERSION: string = (JSON.parse(readFileSync(new URL('package.json', PROJECT_ROOT), 'utf8')) as { version: string }).version;
