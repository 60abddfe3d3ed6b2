// An in-memory stand-in for the server's /api/field endpoints, reached through
// a fetch function, for unit tests of the client and the sync engine. It keeps
// the contract's idempotency rules, and `fault` makes chosen requests fail
// before the server sees them or lose their answer after the server applied them.

import { createHash } from 'node:crypto';

export type Fault = 'refuse' | 'lose_response' | 'server_error' | null;

interface StoredVisit {
  body: string;
  receipt: { visit_id: string; received_at: number; content_sha256: string };
  attachments: string[];
}

export class FakeFieldServer {
  readonly visits = new Map<string, StoredVisit>();
  readonly attachments = new Map<string, Uint8Array>();
  readonly shifts = new Map<string, unknown>();
  readonly positions: unknown[] = [];
  readonly log: string[] = [];
  fault: (method: string, path: string) => Fault = () => null;
  status401 = false;

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://device.test');
    const method = init?.method ?? 'GET';
    const path = url.pathname;
    const fault = this.fault(method, path);
    if (fault === 'refuse') {
      throw new TypeError('Failed to fetch');
    }
    this.log.push(`${method} ${path}`);
    if (fault === 'server_error') {
      return json(503, { code: 'unavailable', message: 'Try later', field: null });
    }
    const response = this.status401
      ? json(401, { code: 'unauthenticated', message: 'Sign in', field: null })
      : await this.handle(method, path, init?.body ?? null);
    if (fault === 'lose_response') {
      throw new TypeError('Failed to fetch');
    }
    return response;
  };

  private async handle(method: string, path: string, body: BodyInit | null): Promise<Response> {
    let match: RegExpExecArray | null;
    if (method === 'PUT' && (match = /^\/api\/field\/visits\/([^/]+)$/.exec(path))) {
      return this.putVisit(decodeURIComponent(match[1]!), String(body));
    }
    if (method === 'GET' && (match = /^\/api\/field\/visits\/([^/]+)\/receipt$/.exec(path))) {
      const visit = this.visits.get(decodeURIComponent(match[1]!));
      return visit === undefined ? json(404, { code: 'not_found', message: 'No visit', field: null }) : json(200, this.receiptBody(visit));
    }
    if (method === 'PUT' && (match = /^\/api\/field\/attachments\/([0-9a-f]{64})$/.exec(path))) {
      const bytes = new Uint8Array(body as ArrayBuffer);
      if (createHash('sha256').update(bytes).digest('hex') !== match[1]) {
        return json(422, { code: 'attachment_hash_mismatch', message: 'Hash differs', field: null });
      }
      const existed = this.attachments.has(match[1]!);
      this.attachments.set(match[1]!, bytes);
      return json(existed ? 200 : 201, {});
    }
    if (method === 'PUT' && (match = /^\/api\/field\/shifts\/([^/]+)$/.exec(path))) {
      this.shifts.set(match[1]!, JSON.parse(String(body)));
      return json(200, {});
    }
    if (method === 'POST' && path === '/api/field/positions') {
      const parsed = JSON.parse(String(body)) as { positions: unknown[] };
      this.positions.push(...parsed.positions);
      return json(200, { accepted: parsed.positions.length, flagged: 0 });
    }
    return json(404, { code: 'not_found', message: `No route ${method} ${path}`, field: null });
  }

  private putVisit(id: string, body: string): Response {
    const existing = this.visits.get(id);
    if (existing !== undefined) {
      if (existing.body !== body) {
        return json(409, { code: 'visit_conflict', message: 'Different content under this id', field: null });
      }
      return json(200, this.receiptBody(existing));
    }
    const parsed = JSON.parse(body) as { attachments: { sha256: string }[] };
    const visit: StoredVisit = {
      body,
      receipt: { visit_id: id, received_at: 1_000 + this.visits.size, content_sha256: createHash('sha256').update(body).digest('hex') },
      attachments: parsed.attachments.map((a) => a.sha256),
    };
    this.visits.set(id, visit);
    return json(201, this.receiptBody(visit));
  }

  private receiptBody(visit: StoredVisit) {
    const missing = visit.attachments.filter((sha) => !this.attachments.has(sha));
    return {
      receipt: visit.receipt,
      status: missing.length === 0 ? 'complete' : 'waiting_for_attachments',
      missing_attachments: missing,
      verdict: { outcome: 'verified', reasons: [] },
    };
  }

  count(method: string, prefix: string): number {
    return this.log.filter((line) => line.startsWith(`${method} ${prefix}`)).length;
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}
