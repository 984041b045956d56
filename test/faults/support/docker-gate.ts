import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';

/** Which Docker API requests a hold applies to: the method and the path without its `/v1.xx` prefix. */
export interface RequestMatch {
  method: string;
  path: RegExp;
}

/** A hold on matching requests: `reached` resolves when the first one arrives; `release` lets them all go on. */
export interface Hold {
  reached: Promise<{ method: string; path: string }>;
  release(): void;
}

/**
 * A Unix socket in front of the real Docker engine, through which an engine
 * under test sends its Docker calls (its DOCKER_HOST). Everything passes
 * through unchanged, except that a test may hold chosen requests (or the rest
 * of their answers) until it releases them: that is how a fault test keeps a
 * deployment in one phase long enough to kill the engine there, with no
 * timing guess. Held requests whose client went away are dropped, never sent.
 */
export interface DockerGate {
  socketPath: string;
  /** `unix://<socketPath>`, for DOCKER_HOST. */
  dockerHost: string;
  /** Holds matching requests before they reach Docker. */
  hold(match: RequestMatch): Hold;
  /** Passes matching requests on, but holds their answers once `afterBytes` of the body have gone through. */
  holdAnswer(match: RequestMatch, afterBytes: number): Hold;
  close(): Promise<void>;
}

interface Rule {
  match: RequestMatch;
  afterBytes: number | null;
  released: Promise<void>;
  arrived(seen: { method: string; path: string }): void;
}

const VERSION_PREFIX = /^\/v\d+\.\d+(?=\/)/;

/** Opens a gate at `<dir>/docker-gate.sock` in front of the Docker engine at `upstreamSocket`. */
export async function openDockerGate(dir: string, upstreamSocket = '/var/run/docker.sock'): Promise<DockerGate> {
  const socketPath = path.join(dir, 'docker-gate.sock');
  const rules = new Set<Rule>();

  const ruleFor = (method: string, apiPath: string) =>
    [...rules].find((r) => r.match.method === method && r.match.path.test(apiPath));

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    rule: Rule | undefined,
    seen?: { method: string; path: string },
  ) => {
    const upstream = request(
      { socketPath: upstreamSocket, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        // Docker answers a stream (events, a build) with its headers at once; the client waits for them.
        res.flushHeaders();
        if (rule?.afterBytes == null) answer.pipe(res);
        else answer.pipe(pauseAfter(rule.afterBytes, rule, seen!)).pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    // A client that goes away (an engine killed mid-call) ends its call at Docker too, as it would directly.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const apiPath = (req.url ?? '/').split('?')[0]!.replace(VERSION_PREFIX, '');
    const rule = ruleFor(method, apiPath);
    if (!rule || rule.afterBytes !== null) return forward(req, res, rule, { method, path: apiPath });
    rule.arrived({ method, path: apiPath });
    let gone = false;
    res.on('close', () => (gone = true));
    void rule.released.then(() => {
      if (!gone) forward(req, res, undefined);
    });
  });
  // Builds upload their context and events streams stay open: no time limit on either.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });

  const addRule = (match: RequestMatch, afterBytes: number | null): Hold => {
    let release = () => undefined as void;
    let arrived: Rule['arrived'] = () => undefined;
    const reached = new Promise<{ method: string; path: string }>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const rule: Rule = { match, afterBytes, released, arrived };
    rules.add(rule);
    return {
      reached,
      release() {
        rules.delete(rule);
        release();
      },
    };
  };

  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    hold: (match) => addRule(match, null),
    holdAnswer: (match, afterBytes) => addRule(match, afterBytes),
    async close() {
      for (const rule of rules) rules.delete(rule);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Lets `limit` bytes through, then says the hold is reached and waits for its release before passing the rest. */
function pauseAfter(limit: number, rule: Rule, seen: { method: string; path: string }): Transform {
  let passed = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const room = Math.max(0, limit - passed);
      passed += chunk.length;
      if (chunk.length <= room) return done(null, chunk);
      if (room > 0) this.push(chunk.subarray(0, room));
      rule.arrived(seen);
      void rule.released.then(() => done(null, chunk.subarray(room)));
    },
  });
}
