/**
 * SigV4 clock skew (AWS: 5 minutes), the CORS the service declares, reserved `aws:` tag keys, and
 * control endpoints that no web page can drive.
 */
import { existsSync } from 'node:fs';
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateChatTokenCommand,
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ivschat';
import { chromium } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index';
import { SEED, client, control, rawFetch, signedFetch, start } from './helpers';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await start({ quota: false });
});
afterAll(async () => {
  await emu.close();
});

const MIN = 60_000;
const AMZ = '\\d{8}T\\d{6}Z';

describe('SigV4 clock skew: 5 minutes, as AWS', () => {
  it('accepts 4 minutes either way and refuses 6 with the message AWS gives', async () => {
    const body = JSON.stringify({});
    for (const offset of [-4 * MIN, 4 * MIN]) {
      const r = await signedFetch(emu, 'POST', '/ListRooms', body, { signingDate: new Date(Date.now() + offset) });
      expect(r.status, `${offset / MIN} min`).toBe(200);
    }
    const past = await signedFetch(emu, 'POST', '/ListRooms', body, { signingDate: new Date(Date.now() - 6 * MIN) });
    expect([past.status, past.headers.get('x-amzn-errortype')]).toEqual([403, 'InvalidSignatureException']);
    expect(past.json.message).toMatch(new RegExp(`^Signature expired: ${AMZ} is now earlier than ${AMZ} \\(${AMZ} - 5 min\\.\\)$`));
    const future = await signedFetch(emu, 'POST', '/ListRooms', body, { signingDate: new Date(Date.now() + 6 * MIN) });
    expect([future.status, future.headers.get('x-amzn-errortype')]).toEqual([403, 'InvalidSignatureException']);
    expect(future.json.message).toMatch(
      new RegExp(`^Signature not yet current: ${AMZ} is still later than ${AMZ} \\(${AMZ} \\+ 5 min\\.\\)$`),
    );
  });

  it('applies the same limit to STS, answered as SignatureDoesNotMatch', async () => {
    const opts = { service: 'sts', contentType: 'application/x-www-form-urlencoded' };
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    expect((await signedFetch(emu, 'POST', '/', body, { ...opts, signingDate: new Date(Date.now() - 4 * MIN) })).status).toBe(200);
    const r = await signedFetch(emu, 'POST', '/', body, { ...opts, signingDate: new Date(Date.now() - 6 * MIN) });
    expect(r.status).toBe(403);
    expect(r.text).toMatch(new RegExp(`<Code>SignatureDoesNotMatch</Code>\\n    <Message>Signature expired: ${AMZ} is now earlier than`));
  });
});

describe('CORS as the service model declares it', () => {
  it('answers a preflight for an API path with the methods and headers a browser SDK needs', async () => {
    const r = await rawFetch(emu, '/CreateChatToken', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://console.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-amz-date,x-amz-security-token,x-amz-user-agent',
      },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-methods')).toBe('POST');
    const allowed = r.headers.get('access-control-allow-headers')!.split(',');
    for (const h of ['authorization', 'content-type', 'x-amz-date', 'x-amz-security-token', 'x-amz-user-agent', 'amz-sdk-invocation-id']) {
      expect(allowed).toContain(h);
    }
    expect(r.headers.get('access-control-max-age')).toBe('600');
    const tags = await rawFetch(emu, `/tags/${encodeURIComponent(SEED.mainStage)}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://console.example', 'Access-Control-Request-Method': 'DELETE' },
    });
    expect(tags.headers.get('access-control-allow-methods')).toBe('GET,POST,DELETE');
  });

  it('exposes the model’s headers on answers, errors included', async () => {
    const ok = await signedFetch(emu, 'POST', '/GetRoom', JSON.stringify({ identifier: SEED.mainStage }), {
      headers: { origin: 'https://console.example' },
    });
    const notFound = await signedFetch(
      emu,
      'POST',
      '/GetRoom',
      JSON.stringify({ identifier: SEED.mainStage.replace('MainStage001', 'AAAAAAAAAAAA') }),
    );
    for (const r of [ok, notFound]) {
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('access-control-expose-headers')).toBe(
        'x-amzn-errortype,x-amzn-requestid,x-amzn-errormessage,x-amzn-trace-id,x-amz-apigw-id,date',
      );
    }
    expect(notFound.status).toBe(404);
  });
});

describe('reserved aws: tag keys', () => {
  it('refuses them on CreateRoom, CreateLoggingConfiguration, TagResource and UntagResource, in any case', async () => {
    const c = client(emu);
    const expectRefused = async (p: Promise<unknown>, field: string) => {
      const e = (await p.then(
        () => undefined,
        (err: unknown) => err,
      )) as { name: string; $metadata: { httpStatusCode: number }; reason: string; fieldList: { name: string; message: string }[] };
      expect(e?.name).toBe('ValidationException');
      expect(e.$metadata.httpStatusCode).toBe(400);
      expect(e.reason).toBe('FIELD_VALIDATION_FAILED');
      expect(e.fieldList).toEqual([{ name: field, message: "Tag keys with the prefix 'aws:' are reserved for AWS use" }]);
    };
    try {
      await expectRefused(c.send(new CreateRoomCommand({ tags: { 'aws:cloudformation:stack-name': 'x' } })), 'tags');
      await expectRefused(c.send(new CreateRoomCommand({ tags: { 'AWS:Team': 'x' } })), 'tags');
      await expectRefused(
        c.send(
          new CreateLoggingConfigurationCommand({
            destinationConfiguration: { cloudWatchLogs: { logGroupName: 'g' } },
            tags: { 'aws:x': 'y' },
          }),
        ),
        'tags',
      );
      await expectRefused(c.send(new TagResourceCommand({ resourceArn: SEED.mainStage, tags: { ok: '1', 'aws:x': 'y' } })), 'tags');
      await expectRefused(c.send(new UntagResourceCommand({ resourceArn: SEED.mainStage, tagKeys: ['aws:x'] })), 'tagKeys');
      // Nothing half-done: the allowed key in the refused request was not applied.
      expect((await c.send(new ListTagsForResourceCommand({ resourceArn: SEED.mainStage }))).tags).not.toHaveProperty('ok');
      const room = await c.send(new CreateRoomCommand({ tags: { 'not-aws:x': 'fine', awsome: 'fine' } }));
      expect(room.tags).toEqual({ 'not-aws:x': 'fine', awsome: 'fine' });
    } finally {
      c.destroy();
    }
  });
});

describe('control endpoints refuse what a web page can send', () => {
  const fault = JSON.stringify({ operation: 'CreateChatToken', count: 1, error: 'AccessDeniedException' });

  async function faultsArmed(e = emu): Promise<number> {
    return ((await rawFetch(e, '/_emulator/faults')).json.faults as unknown[]).length;
  }

  it('refuses a cross-site text/plain POST to /_emulator/faults, and the fault is not armed', async () => {
    const r = await rawFetch(emu, '/_emulator/faults', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: 'https://evil.example' },
      body: fault,
    });
    expect(r.status).toBe(403);
    expect(await faultsArmed()).toBe(0);
    const c = client(emu);
    expect((await c.send(new CreateChatTokenCommand({ roomIdentifier: SEED.mainStage, userId: 'u' }))).token).toBeTruthy();
    c.destroy();
  });

  it('refuses a simple request with no Origin, a foreign Origin on JSON, a browser-marked cross-site request, and a preflight', async () => {
    const tries: [string, RequestInit][] = [
      ['text/plain, no Origin', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: fault }],
      ['form', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: fault }],
      ['no Content-Type', { method: 'POST', body: new Blob([fault]) }],
      [
        'JSON, foreign Origin',
        { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://127.0.0.1:1' }, body: fault },
      ],
      ['JSON, Origin null', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'null' }, body: fault }],
      [
        'JSON, Sec-Fetch-Site cross-site',
        { method: 'POST', headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' }, body: fault },
      ],
      ['GET stats from a foreign Origin', { method: 'GET', headers: { Origin: 'https://evil.example' } }],
    ];
    for (const [what, init] of tries) {
      const r = await rawFetch(emu, '/_emulator/faults', init);
      expect(r.status, what).toBe(403);
      expect(r.headers.get('access-control-allow-origin'), what).toBeNull();
    }
    const preflight = await rawFetch(emu, '/_emulator/faults', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(403);
    expect([...preflight.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(await faultsArmed()).toBe(0);
  });

  it('refuses a Host that is not the emulator (DNS rebinding) and accepts its own origin', async () => {
    const post = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          `${emu.endpoint}/_emulator/faults`,
          { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(fault);
      });
    expect(await post({ host: `rebound.example:${emu.port}` })).toBe(403);
    expect(await faultsArmed()).toBe(0);
    expect(await post({ origin: emu.endpoint })).toBe(200);
    expect(await faultsArmed()).toBe(1);
    await control(emu, 'faults', undefined, 'DELETE');
    expect(await faultsArmed()).toBe(0);
  });

  const chromiumPath = '/usr/bin/chromium';
  it.skipIf(!existsSync(chromiumPath))(
    'a page on another origin cannot arm a fault from Chromium (fetch no-cors, JSON fetch, form post)',
    async () => {
      let page: Server | undefined;
      const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
      try {
        page = createServer((_req, res) => {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(`<!doctype html><form id="f" method="POST" enctype="text/plain" action="${emu.endpoint}/_emulator/faults" target="sink">
<input name='{"operation":"CreateChatToken","count":1,"error":"AccessDeniedException","x":"' value='"}'></form><iframe name="sink"></iframe>`);
        });
        await new Promise<void>((resolve) => page!.listen(0, '127.0.0.1', resolve));
        const pageUrl = `http://localhost:${(page.address() as AddressInfo).port}/`;
        const tab = await browser.newPage();
        await tab.goto(pageUrl);
        const outcomes = await tab.evaluate(
          async ({ url, body }) => {
            const out: string[] = [];
            try {
              await fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body });
              out.push('no-cors sent');
            } catch (e) {
              out.push(`no-cors failed: ${String(e)}`);
            }
            try {
              await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
              out.push('json allowed');
            } catch {
              out.push('json blocked by CORS');
            }
            return out;
          },
          { url: `${emu.endpoint}/_emulator/faults`, body: fault },
        );
        expect(outcomes).toEqual(['no-cors sent', 'json blocked by CORS']);
        await tab.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit());
        await tab.waitForTimeout(500);
        expect(await faultsArmed()).toBe(0);
      } finally {
        await browser.close();
        await new Promise((resolve) => page?.close(resolve));
      }
    },
  );
});
