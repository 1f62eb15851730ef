/**
 * Bounds on the work one request can cause, checked before validation starts. Parsing is bounded
 * by the body size (JSON.parse is linear); validation is not: class-validator builds one error per
 * unknown key, so a 500 KB body of 50,000 keys froze the event loop for seconds and answered a
 * 3.7 MB error document. Every body the API accepts is small and shallow, so these limits are far
 * above any genuine request and far below what could stall the service.
 */
import type { FastifyError, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';

export const REQUEST_LIMITS = {
  /** Bytes of a request body: the longest petition, \u-escaped, is under 100 KB. */
  bodyBytes: 262_144,
  /** Nesting depth of a JSON body (validators recurse; the deepest body has 2 levels). */
  depth: 8,
  /** Keys of any one object (the widest body has 7). */
  keysPerObject: 32,
  /** Items of any one array (the longest list in a body is a handful of reason codes). */
  arrayItems: 64,
  /** Characters of any one string (the longest field takes 10,000). */
  stringChars: 20_000,
  /** Objects, arrays and values in the whole body (a petition has about 15). */
  nodes: 512,
  /** Query-string parameters (the richest query takes 8). */
  queryParameters: 32,
  /** Field errors listed in a problem document; the rest are counted. */
  errorsListed: 10,
} as const;

export class BodyTooComplexError extends Error {
  override name = 'BodyTooComplexError';
  readonly statusCode = 400;
  readonly code = 'BODY_TOO_COMPLEX';
}

/**
 * Throws BodyTooComplexError when a parsed JSON value goes beyond REQUEST_LIMITS. One pass, no
 * recursion, stops at the first excess: its cost is bounded by the node limit.
 */
export function checkBodyShape(value: unknown): void {
  let nodes = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (++nodes > REQUEST_LIMITS.nodes) throw new BodyTooComplexError(`The JSON body has more than ${REQUEST_LIMITS.nodes} values`);
    if (typeof v === 'string') {
      if (v.length > REQUEST_LIMITS.stringChars)
        throw new BodyTooComplexError(`A string in the JSON body is longer than ${REQUEST_LIMITS.stringChars} characters`);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > REQUEST_LIMITS.depth) throw new BodyTooComplexError(`The JSON body is nested more than ${REQUEST_LIMITS.depth} levels deep`);
    if (Array.isArray(v)) {
      if (v.length > REQUEST_LIMITS.arrayItems) throw new BodyTooComplexError(`An array in the JSON body has more than ${REQUEST_LIMITS.arrayItems} items`);
      for (const item of v) stack.push([item, depth + 1]);
      continue;
    }
    let keys = 0;
    for (const key in v) {
      if (++keys > REQUEST_LIMITS.keysPerObject) throw new BodyTooComplexError(`An object in the JSON body has more than ${REQUEST_LIMITS.keysPerObject} keys`);
      if (key.length > REQUEST_LIMITS.stringChars)
        throw new BodyTooComplexError(`A key in the JSON body is longer than ${REQUEST_LIMITS.stringChars} characters`);
      stack.push([(v as Record<string, unknown>)[key], depth + 1]);
    }
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * The same bounds, on the raw bytes before JSON.parse runs: one pass over the structure (strings
 * are skipped with the native indexOf), stopping at the first excess, so a body of 20,000 keys
 * costs a scan of its first few hundred bytes, not a parse. What this scan lets through has at
 * most `nodes` values, so parsing and validating it is cheap. Malformed JSON is left to the parser.
 */
export function scanJsonStructure(body: Buffer): void {
  const containers: number[] = []; // the open containers' kinds (OPEN_OBJECT or OPEN_ARRAY)
  const items: number[] = []; // how many separators each has had
  let nodes = 1;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === QUOTE) {
      let j = i + 1;
      for (;;) {
        j = body.indexOf(QUOTE, j);
        if (j < 0) return;
        let backslashes = 0;
        for (let k = j - 1; body[k] === BACKSLASH; k--) backslashes++;
        if (backslashes % 2 === 0) break;
        j++;
      }
      i = j;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      containers.push(c);
      items.push(0);
      if (containers.length > REQUEST_LIMITS.depth) throw new BodyTooComplexError(`The JSON body is nested more than ${REQUEST_LIMITS.depth} levels deep`);
      if (++nodes > REQUEST_LIMITS.nodes) throw new BodyTooComplexError(`The JSON body has more than ${REQUEST_LIMITS.nodes} values`);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      containers.pop();
      items.pop();
    } else if (c === COMMA && items.length) {
      const top = items.length - 1;
      const count = ++items[top] + 1;
      if (containers[top] === OPEN_OBJECT && count > REQUEST_LIMITS.keysPerObject) {
        throw new BodyTooComplexError(`An object in the JSON body has more than ${REQUEST_LIMITS.keysPerObject} keys`);
      }
      if (containers[top] === OPEN_ARRAY && count > REQUEST_LIMITS.arrayItems) {
        throw new BodyTooComplexError(`An array in the JSON body has more than ${REQUEST_LIMITS.arrayItems} items`);
      }
      if (++nodes > REQUEST_LIMITS.nodes) throw new BodyTooComplexError(`The JSON body has more than ${REQUEST_LIMITS.nodes} values`);
    }
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class MalformedBodyError extends Error {
  override name = 'MalformedBodyError';
  readonly statusCode = 400;
  readonly code = 'FST_ERR_CTP_INVALID_JSON_BODY';
}

/** The body's bytes as text: invalid UTF-8 is refused, whatever the transfer encoding (never stored as U+FFFD). */
export function decodeUtf8(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new MalformedBodyError('The JSON body is not valid UTF-8');
  }
}

type JsonParser = (request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void) => void;

/**
 * The application/json content parser: bytes → the structure bounds → strict UTF-8 → Fastify's
 * JSON parser (which refuses __proto__ tricks) → the shape bounds again, with string lengths.
 */
export function boundedJsonParser(parseJson: JsonParser) {
  return (request: FastifyRequest, body: Buffer | string, done: (error: Error | null, value?: unknown) => void): void => {
    let text: string;
    try {
      if (typeof body !== 'string') scanJsonStructure(body);
      text = typeof body === 'string' ? body : decodeUtf8(body);
    } catch (e) {
      return done(e as Error, undefined);
    }
    parseJson(request, text, (error, value) => {
      if (error) return done(error, undefined);
      try {
        checkBodyShape(value);
      } catch (e) {
        return done(e as Error, undefined);
      }
      done(null, value);
    });
  };
}

/** A query string with more parameters than any query takes: refused before validation. */
export function checkQueryShape(query: unknown): void {
  if (query && typeof query === 'object') {
    let keys = 0;
    for (const key in query) {
      if (++keys > REQUEST_LIMITS.queryParameters)
        throw new QueryTooComplexError(`The query string has more than ${REQUEST_LIMITS.queryParameters} parameters`);
      const value = (query as Record<string, unknown>)[key];
      if (Array.isArray(value) && value.length > REQUEST_LIMITS.queryParameters) {
        throw new QueryTooComplexError(`The query parameter ${key.slice(0, 50)} is repeated more than ${REQUEST_LIMITS.queryParameters} times`);
      }
    }
  }
}

export class QueryTooComplexError extends Error {
  override name = 'QueryTooComplexError';
  readonly statusCode = 400;
  readonly code = 'QUERY_TOO_COMPLEX';
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (headers or URL too large, a
 * malformed request line, a timeout) also leaves as a problem document with a stable code.
 */
export function problemClientErrorHandler(error: FastifyError & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, title, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'Request header fields too large', 'The request line and headers (including the URL) exceed 16 KB']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'Request timeout', 'The request was not received in time']
        : [400, 'BAD_REQUEST', 'Bad request', 'The request could not be parsed as HTTP'];
  const body = JSON.stringify({ type: `https://petitions.example/problems/${code.toLowerCase().replace(/_/g, '-')}`, title, status, code, detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
