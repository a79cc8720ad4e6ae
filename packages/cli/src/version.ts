import packageJson from '../package.json';

/** Version of the CLI, from its package.json. */
export const CLI_VERSION: string = packageJson.version;
