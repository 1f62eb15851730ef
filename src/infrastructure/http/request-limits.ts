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
  /** Nesting depth of a JSON body (validators recurse). */
  depth: 16,
  /** Keys of any one object (the widest body has 7). */
  keysPerObject: 64,
  /** Items of any one array (the longest list in a body is a handful of reason codes). */
  arrayItems: 256,
  /** Characters of any one string (the longest field takes 10,000). */
  stringChars: 20_000,
  /** Objects, arrays and values in the whole body. */
  nodes: 10_000,
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
 * The application/json content parser: bytes → strict UTF-8 → Fastify's JSON parser (which
 * refuses __proto__ tricks) → the shape bounds.
 */
export function boundedJsonParser(parseJson: JsonParser) {
  return (request: FastifyRequest, body: Buffer | string, done: (error: Error | null, value?: unknown) => void): void => {
    let text: string;
    try {
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
