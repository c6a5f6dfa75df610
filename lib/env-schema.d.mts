export type EnvironmentSource = Readonly<Record<string, string | undefined>>;
export function readEnvironment(): NodeJS.ProcessEnv;
export function parseList(value: string | undefined): string[];
export const REGION_PATTERN: RegExp;
export function ivschatRegions(source: EnvironmentSource): string[];
export function chatSocketOrigins(source: EnvironmentSource): string[];
export function publicUrl(source: EnvironmentSource): string;
export function isProduction(source: EnvironmentSource): boolean;
