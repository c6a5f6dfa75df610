import 'server-only';
import {
  ATTRIBUTES_MAX_BYTES,
  CAPABILITIES,
  DEFAULT_SESSION_MINUTES,
  DURATION_LIMITS,
  REASON_LIMITS,
  ROOM_ARN_LIMITS,
  ROOM_ARN_PATTERN,
  USER_ID_LIMITS,
} from '@/lib/shared/tokens/limits';
import { EVENTS_DEFAULT_LIMIT, EVENTS_MAX_LIMIT } from '@/lib/audit/events-api';
import { MAX_BODY_BYTES } from './http';
import { MAX_BATCH } from './tokens';

/**
 * The OpenAPI 3.1 description of /api/v1, written by hand next to the handlers it describes;
 * limits come from the same constants the schema uses. e2e/api.spec.ts checks it against the
 * live responses' shapes.
 */
const error = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const noStore = { 'Cache-Control': { description: 'Always `no-store`.', schema: { type: 'string', const: 'no-store' } } };
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } } };
const wwwAuthenticate = {
  'WWW-Authenticate': {
    description: '`Bearer realm="ivs-chat-console"`, with `error="invalid_token"` for a bad or revoked key.',
    schema: { type: 'string' },
  },
};

const commonErrors = {
  '401': error('No API key, or a key that is unknown or revoked (`UNAUTHENTICATED`).', wwwAuthenticate),
  '503': error('The console database could not be reached (`AUDIT_UNAVAILABLE`); nothing was issued.', retryAfter),
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'IVS Chat Token Console API',
    version: '1.0.0',
    description:
      'Mint Amazon IVS Chat tokens from pipelines with the same schema, policy, rate limits and audit log as the console form. ' +
      'Authenticate with an API key (`Authorization: Bearer ivsc_...`) created by an admin in /admin or with ' +
      "`npm run staff -- api-key create <name> <role>`; the key acts with its role's policy. Tokens are bearer credentials: " +
      'they appear once, in the mint response, and are never stored. Every error is JSON with a stable `code`.',
  },
  servers: [{ url: '/' }],
  security: [{ apiKey: [] }],
  paths: {
    '/api/v1/audit/events': {
      get: {
        operationId: 'listAuditEvents',
        summary: 'Follow the audit log (for SIEMs)',
        description:
          'Every audit entry (mints, refused mints, moderation, deny list, staff, API keys, presets) with a sequence number above ' +
          "`after`, oldest first, with its chain fields: each entry's `chain.prevHash` is the previous entry's `chain.hash`, so a " +
          'follower can check continuity outside the console. Start at `after=0`, then pass `next.after`; when `more` is false, wait ' +
          'and ask again with the same `after`. For keys whose role may read the audit log (`mayReadAudit`).',
        parameters: [
          {
            name: 'after',
            in: 'query',
            description: 'Return entries with seq above this (0 for the start of the log).',
            schema: { type: 'integer', minimum: 0, default: 0 },
          },
          {
            name: 'limit',
            in: 'query',
            description: 'Entries per page.',
            schema: { type: 'integer', minimum: 1, maximum: EVENTS_MAX_LIMIT, default: EVENTS_DEFAULT_LIMIT },
          },
        ],
        responses: {
          '200': {
            description: 'A page of entries in seq order.',
            headers: noStore,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/AuditEventsPage' } } },
          },
          '400': error('`after` or `limit` is not valid (`INVALID_INPUT`, `fieldErrors.after` / `fieldErrors.limit`).'),
          ...commonErrors,
          '403': error("The key's role may not read the audit log (`FORBIDDEN`, `rule` names `roles.<role>.mayReadAudit`)."),
        },
      },
    },
    '/api/v1/rooms': {
      get: {
        operationId: 'listRooms',
        summary: "The rooms the key's role may mint in",
        description:
          "Every room in the console's configured regions that the role's room scope (ARN patterns, regions, tags) allows. Regions that could not be listed are named in `failures`.",
        responses: {
          '200': {
            description: 'The rooms.',
            headers: noStore,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/RoomList' } } },
          },
          ...commonErrors,
          '403': error("The key's role may not mint at all (`FORBIDDEN`, `rule` names `roles.<role>.mayMint`)."),
          '502': error('No region could be listed (`AWS_ERROR`).'),
        },
      },
    },
    '/api/v1/tokens': {
      post: {
        operationId: 'mintTokens',
        summary: 'Mint one token, or a batch',
        description:
          `A single mint request answers 201 with the token. A batch \`{ "requests": [...] }\` of 1 to ${MAX_BATCH} requests answers 200 ` +
          'with one result per item, in order, each with its own `status` (201 or the status a single request would have had) and either ' +
          "`result` or `error`; the batch call itself fails only when the body is not a valid batch. Every item counts against the key's " +
          `rate limit. Bodies are JSON (\`Content-Type: application/json\`), at most ${MAX_BODY_BYTES / 1024} KB. Unknown fields are refused. ` +
          'An optional `Idempotency-Key` header makes retries safe: a key already used by a request that reached the audit log answers 409 ' +
          'with the audit ids it created (the tokens cannot be shown again); a key whose first request is still running or was interrupted ' +
          'answers 409 with the audit ids it had written so far (a pending one: CreateChatToken was sent, outcome unknown); a key whose first ' +
          'request issued nothing can be reused. Keys are kept 24 hours.',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
            description: 'Any unique value per logical request (a UUID, a CI job id and index).',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { oneOf: [{ $ref: '#/components/schemas/MintRequest' }, { $ref: '#/components/schemas/MintBatchRequest' }] },
              examples: {
                single: {
                  value: {
                    roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001',
                    userId: 'qa-1',
                    capabilities: ['SEND_MESSAGE'],
                    sessionDurationInMinutes: 30,
                    attributes: { displayName: 'QA 1' },
                  },
                },
                batch: {
                  value: {
                    requests: [
                      { roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001', userId: 'qa-1' },
                      {
                        roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001',
                        userId: 'qa-2',
                        capabilities: ['SEND_MESSAGE'],
                      },
                    ],
                  },
                },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'One token minted. `Location` is its record.',
            headers: { ...noStore, Location: { description: '`/api/v1/tokens/{auditId}`', schema: { type: 'string' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/MintedToken' } } },
          },
          '200': {
            description: 'A batch was processed; see each item. `Retry-After` is set when any item was rate limited.',
            headers: { ...noStore, ...retryAfter },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/MintBatchResult' } } },
          },
          '400': error(
            'Malformed JSON, a field error (`fieldErrors` by field path, e.g. `attributes`, `userId`), an unknown field, a bad batch (empty, over the cap), or AWS rejected the input (`AWS_ERROR` with `awsCode: ValidationException`).',
          ),
          ...commonErrors,
          '403': error("The key's role may not mint this (`FORBIDDEN`; `rule` names the policy entry, e.g. `roles.support.capabilities`)."),
          '404': error('The room does not exist (`AWS_ERROR`, `awsCode: ResourceNotFoundException`).'),
          '409': error(
            'The Idempotency-Key was already used (`IDEMPOTENCY_KEY_REUSED`, with `auditIds`, `records`, `firstUsedAt`, `sameRequest`).',
          ),
          '413': error(`The body is over ${MAX_BODY_BYTES / 1024} KB (\`PAYLOAD_TOO_LARGE\`).`),
          '415': error('The body is not `application/json` (`UNSUPPORTED_MEDIA_TYPE`).'),
          '429': error(
            "The key's mint rate limit (`rateLimits.mintPerApiKey`) is used up (`RATE_LIMITED`, `retryAfterSeconds`).",
            retryAfter,
          ),
          '502': error(
            'IVS Chat failed or refused (`AWS_ERROR`: `awsCode`, `retryable`, and the `auditId` of the failed attempt), or its answer was lost after the request may have reached it (`AWS_OUTCOME_UNKNOWN`, `retryable: false`): a token may have been issued but was not delivered, nothing was retried, and the record at `auditId` stays `pending`.',
          ),
        },
      },
    },
    '/api/v1/tokens/{id}': {
      get: {
        operationId: 'getTokenRecord',
        summary: "A mint's audit record (never the token)",
        description:
          'The record of the mint with this audit id (the `auditId` a mint returned). A key may read the records it minted, and any mint record when its role may read the audit log (`mayReadAudit`). Anything else is 404.',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': {
            description: 'The record.',
            headers: noStore,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/TokenRecord' } } },
          },
          ...commonErrors,
          '404': error('No such mint record, or not one this key may read (`NOT_FOUND`).'),
        },
      },
    },
    '/api/v1/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
      },
    },
  },
  components: {
    securitySchemes: {
      apiKey: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'ivsc_ followed by 43 base64url characters',
        description: 'An API key; it acts with the role it was created for.',
      },
    },
    schemas: {
      Capability: { type: 'string', enum: [...CAPABILITIES] },
      MintRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['roomArn', 'userId'],
        properties: {
          roomArn: {
            type: 'string',
            minLength: 1,
            maxLength: ROOM_ARN_LIMITS.max,
            description: `A room ARN (${ROOM_ARN_PATTERN.source}), or a bare room id or exact room name that names exactly one room in the configured regions: the console resolves it to the ARN (400 at roomArn when it names none or several).`,
          },
          userId: {
            type: 'string',
            minLength: USER_ID_LIMITS.min,
            maxLength: USER_ID_LIMITS.max,
            description:
              'Counted in Unicode code points; no control characters, and no white space at either end (a userId is kept exactly, so " ann " would be another user than "ann").',
          },
          capabilities: {
            type: 'array',
            uniqueItems: true,
            items: { $ref: '#/components/schemas/Capability' },
            default: [],
            description: 'Viewing is implicit. The role may allow only some.',
          },
          sessionDurationInMinutes: {
            type: 'integer',
            minimum: DURATION_LIMITS.min,
            maximum: DURATION_LIMITS.max,
            default: DEFAULT_SESSION_MINUTES,
            description: "At most the role's maxSessionMinutes. Left out: 60, or the role's maxSessionMinutes when that is shorter.",
          },
          attributes: {
            description: `At most ${ATTRIBUTES_MAX_BYTES} bytes in total (UTF-8 of every key and value). An object, or rows of { key, value }.`,
            oneOf: [
              { type: 'object', additionalProperties: { type: 'string' } },
              {
                type: 'array',
                items: { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string' }, value: { type: 'string' } } },
              },
            ],
          },
          reason: {
            type: 'string',
            maxLength: REASON_LIMITS.max,
            default: '',
            description: "Written to the audit log; required when the role's reasonRequiredFor lists a granted capability.",
          },
        },
      },
      MintBatchRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['requests'],
        properties: { requests: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: { $ref: '#/components/schemas/MintRequest' } } },
      },
      MintedToken: {
        type: 'object',
        required: ['token', 'tokenExpirationTime', 'sessionExpirationTime', 'issuedAt', 'auditId', 'requestId', 'request', 'links'],
        properties: {
          token: { type: 'string', description: 'The chat token. Shown only here; connect with it before tokenExpirationTime.' },
          tokenExpirationTime: { type: 'string', format: 'date-time' },
          sessionExpirationTime: { type: 'string', format: 'date-time' },
          issuedAt: { type: 'string', format: 'date-time' },
          auditId: { type: 'string', format: 'uuid' },
          requestId: { type: ['string', 'null'], description: 'The AWS request id.' },
          request: {
            type: 'object',
            properties: {
              roomArn: { type: 'string' },
              region: { type: 'string' },
              userId: { type: 'string' },
              capabilities: { type: 'array', items: { $ref: '#/components/schemas/Capability' } },
              sessionDurationInMinutes: { type: 'integer' },
              attributes: { type: 'object', additionalProperties: { type: 'string' } },
              reason: { type: 'string' },
            },
          },
          auditWarning: { type: 'string', description: 'Set when the token was issued but its audit record stays pending.' },
          links: { type: 'object', properties: { record: { type: 'string', description: '/api/v1/tokens/{auditId}' } } },
        },
      },
      MintBatchResult: {
        type: 'object',
        required: ['issued', 'failed', 'results'],
        properties: {
          issued: { type: 'integer' },
          failed: { type: 'integer' },
          results: {
            type: 'array',
            items: {
              oneOf: [
                {
                  type: 'object',
                  required: ['index', 'ok', 'status', 'result'],
                  properties: {
                    index: { type: 'integer' },
                    ok: { const: true },
                    status: { const: 201 },
                    result: { $ref: '#/components/schemas/MintedToken' },
                  },
                },
                {
                  type: 'object',
                  required: ['index', 'ok', 'status', 'error'],
                  properties: {
                    index: { type: 'integer' },
                    ok: { const: false },
                    status: { type: 'integer' },
                    error: { $ref: '#/components/schemas/Error' },
                  },
                },
              ],
            },
          },
        },
      },
      TokenRecord: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          at: { type: 'string', format: 'date-time' },
          status: { type: 'string', enum: ['pending', 'issued', 'failed'] },
          actor: {
            type: 'object',
            properties: {
              id: { type: 'string', description: '`apikey:<id>` for API keys' },
              email: { type: 'string', description: '`<name>@api-key` for API keys' },
              role: { type: 'string' },
              via: { type: 'string', enum: ['ui', 'api', 'bulk', 'cli'] },
              apiKeyName: { type: ['string', 'null'] },
            },
          },
          batchId: { type: ['string', 'null'] },
          request: { $ref: '#/components/schemas/MintedToken/properties/request' },
          tokenExpirationTime: { type: ['string', 'null'], format: 'date-time' },
          sessionExpirationTime: { type: ['string', 'null'], format: 'date-time' },
          requestId: { type: ['string', 'null'] },
          error: { type: ['object', 'null'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
          completedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      AuditEventsPage: {
        type: 'object',
        required: ['events', 'next', 'more'],
        properties: {
          events: { type: 'array', items: { $ref: '#/components/schemas/AuditEvent' } },
          next: {
            type: 'object',
            required: ['after'],
            properties: { after: { type: 'integer', description: 'Pass as `after` next time.' } },
          },
          more: { type: 'boolean', description: 'The page was full: ask again at once.' },
        },
      },
      AuditEvent: {
        type: 'object',
        description:
          'One entry exactly as chained. A mint is two entries: `token.minted` (the request, before CreateChatToken) and later ' +
          "`mint.issued` or `mint.failed` whose `refSeq` is the request's seq; no outcome entry means the outcome is unknown.",
        required: ['seq', 'id', 'at', 'action', 'actor', 'chain'],
        properties: {
          seq: { type: 'integer', description: 'Gap-free, starting at 1.' },
          id: { type: 'string', format: 'uuid' },
          at: { type: 'string', format: 'date-time' },
          action: {
            type: 'string',
            description:
              '`token.minted`, `mint.issued`, `mint.failed`, `token.refused`, `user.disconnected`, `message.deleted`, `denylist.added`, ...',
          },
          actor: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              email: { type: 'string' },
              role: { type: 'string' },
              via: { type: 'string', enum: ['ui', 'api', 'bulk', 'cli', 'connect-here'] },
              apiKeyName: { type: ['string', 'null'] },
            },
          },
          batchId: { type: ['string', 'null'] },
          roomArn: { type: ['string', 'null'] },
          region: { type: ['string', 'null'] },
          userId: { type: ['string', 'null'] },
          attributes: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
          capabilities: { type: ['array', 'null'], items: { type: 'string' } },
          durationMinutes: { type: ['integer', 'null'] },
          reason: { type: ['string', 'null'] },
          details: {
            description: 'For other actions: `{ resource, old, new }`; for refusals `{ code, rule, message, attemptInWindow, ... }`.',
          },
          refSeq: { type: ['integer', 'null'], description: 'On `mint.issued` / `mint.failed`: the request it completes.' },
          fingerprint: { type: ['string', 'null'], description: 'On `mint.issued`: the HMAC fingerprint of the token (never the token).' },
          tokenExpiresAt: { type: ['string', 'null'], format: 'date-time' },
          sessionExpiresAt: { type: ['string', 'null'], format: 'date-time' },
          requestId: { type: ['string', 'null'] },
          errorCode: { type: ['string', 'null'] },
          errorMessage: { type: ['string', 'null'] },
          chain: {
            type: 'object',
            required: ['keyId', 'prevHash', 'hash', 'text'],
            properties: {
              keyId: { type: 'string', description: 'The chain key the entry was hashed with.' },
              prevHash: { type: 'string', description: "The previous entry's `hash` (64 zeros for the first)." },
              hash: { type: 'string', description: 'HMAC-SHA256(chain key, prevHash + text), hex.' },
              text: { type: 'string', description: 'The exact chained text the HMAC covers.' },
            },
          },
        },
      },
      RoomList: {
        type: 'object',
        properties: {
          rooms: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                arn: { type: 'string' },
                id: { type: 'string' },
                name: { type: 'string' },
                region: { type: 'string' },
                tags: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
          },
          failures: { type: 'array', items: { type: 'object', properties: { region: { type: 'string' }, message: { type: 'string' } } } },
          fetchedAt: { type: 'string', format: 'date-time' },
        },
      },
      Error: {
        type: 'object',
        description:
          "The console's one failure shape (the same body its browser actions and other routes answer): `code` is the console's category, `awsCode` the IVS Chat exception or transport cause.",
        required: ['ok', 'code', 'message', 'fieldErrors'],
        properties: {
          ok: { type: 'boolean', const: false },
          code: {
            type: 'string',
            enum: [
              'INVALID_INPUT',
              'UNAUTHENTICATED',
              'FORBIDDEN',
              'NOT_FOUND',
              'IDEMPOTENCY_KEY_REUSED',
              'PAYLOAD_TOO_LARGE',
              'UNSUPPORTED_MEDIA_TYPE',
              'RATE_LIMITED',
              'AWS_ERROR',
              'AWS_OUTCOME_UNKNOWN',
              'AUDIT_UNAVAILABLE',
            ],
          },
          message: { type: 'string' },
          fieldErrors: {
            type: 'object',
            additionalProperties: { type: 'string' },
            description: 'By field path (`userId`, `attributes.0.key`, `requests`); empty when none.',
          },
          rule: { type: 'string', description: 'The policy entry that refused (FORBIDDEN, RATE_LIMITED).' },
          retryAfterSeconds: { type: 'integer' },
          awsCode: {
            type: 'string',
            description:
              'The IVS Chat exception (`AccessDeniedException`, `ThrottlingException`) or transport cause (`Timeout`, `NetworkError`); only with AWS_ERROR and AWS_OUTCOME_UNKNOWN.',
          },
          retryable: { type: 'boolean' },
          auditId: { type: 'string', format: 'uuid', description: 'The audit record of the attempt, when one was written.' },
        },
      },
    },
  },
} as const;
