import type { AttributeRow } from '@/lib/shared/tokens/attributes';
import { rowsToAttributes } from '@/lib/shared/tokens/attributes';

export interface SnippetRequest {
  roomArn: string;
  region: string;
  userId: string;
  capabilities: readonly string[];
  sessionDurationInMinutes: number;
  attributes: readonly AttributeRow[];
}

/** POSIX shell single-quoting: safe for any text, including quotes and `$`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The AWS CLI command that makes the same CreateChatToken request (never includes a token). */
export function awsCliSnippet(req: SnippetRequest, endpoint?: string | null): string {
  const lines = [
    'aws ivschat create-chat-token',
    `  --region ${req.region}`,
    ...(endpoint ? [`  --endpoint-url ${shellQuote(endpoint)}`] : []),
    `  --room-identifier ${shellQuote(req.roomArn)}`,
    `  --user-id ${shellQuote(req.userId)}`,
    ...(req.capabilities.length ? [`  --capabilities ${req.capabilities.join(' ')}`] : []),
    `  --session-duration-in-minutes ${req.sessionDurationInMinutes}`,
    ...(req.attributes.length ? [`  --attributes ${shellQuote(JSON.stringify(rowsToAttributes(req.attributes)))}`] : []),
  ];
  return lines.join(' \\\n');
}

/** The same request with the JavaScript SDK v3. */
export function jsSdkSnippet(req: SnippetRequest, endpoint?: string | null): string {
  const input: Record<string, unknown> = {
    roomIdentifier: req.roomArn,
    userId: req.userId,
    capabilities: [...req.capabilities],
    sessionDurationInMinutes: req.sessionDurationInMinutes,
  };
  if (req.attributes.length) input.attributes = rowsToAttributes(req.attributes);
  const clientConfig = endpoint
    ? `{ region: ${JSON.stringify(req.region)}, endpoint: ${JSON.stringify(endpoint)} }`
    : `{ region: ${JSON.stringify(req.region)} }`;
  return [
    `import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';`,
    ``,
    `const client = new IvschatClient(${clientConfig});`,
    `const { token, tokenExpirationTime, sessionExpirationTime } = await client.send(`,
    `  new CreateChatTokenCommand(${JSON.stringify(input, null, 2).replace(/\n/g, '\n  ')}),`,
    `);`,
  ].join('\n');
}
