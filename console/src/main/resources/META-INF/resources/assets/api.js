// Talking to the console backend: the caller's token (sessionStorage, sent as a bearer header, never in a URL),
// JSON calls that turn problem+json answers into errors, and Server-Sent Events read with fetch.

const TOKEN_KEY = 'rollwatch.console.token';

export const session = {
  oidc: false,
  version: '',
  me: null, // {subject, roles, services}
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(t) { if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY); },
  hasRole(...roles) { return !!this.me && roles.some(r => (this.me.roles || []).includes(r)); },
};

/** An API error carrying the problem (RFC 9457 fields: type, title, status, detail). */
export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || ('HTTP ' + problem.status));
    this.problem = problem;
    this.status = problem.status;
  }
}

function headers(extra) {
  const h = { ...extra };
  const t = session.token;
  if (!session.oidc && t) h.Authorization = 'Bearer ' + t;
  return h;
}

async function problemOf(res) {
  let problem = { status: res.status, title: res.statusText || ('HTTP ' + res.status) };
  const type = res.headers.get('Content-Type') || '';
  try {
    if (type.includes('json')) {
      const body = await res.json();
      problem = { ...problem, ...body, status: body.status || res.status };
    } else {
      const text = (await res.text()).trim();
      if (text) problem.detail = text.slice(0, 300);
    }
  } catch (e) {
    // an unreadable body: status and status text are all there is
  }
  return new ApiError(problem);
}

/** fetch + JSON; throws ApiError for a non-2xx answer, a network failure becomes an ApiError too. */
export async function api(path, { method = 'GET', body, signal, extraHeaders } = {}) {
  const h = headers({ Accept: 'application/json, application/problem+json', ...extraHeaders });
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', cache: 'no-store', redirect: 'manual', signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, title: 'Console unreachable', detail: 'The console did not answer (' + e.message + ')' });
  }
  if (res.type === 'opaqueredirect') {
    throw new ApiError({ status: 401, title: 'Signed out', detail: 'The session has ended: sign in again' });
  }
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/** Like api() but a 404 is an answer (null), not an error. */
export async function apiOrNull(path, options) {
  try {
    return await api(path, options);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export function newIdempotencyKey() {
  return (crypto.randomUUID && crypto.randomUUID()) || String(Date.now()) + Math.random().toString(16).slice(2);
}

const sleep = (ms, signal) => new Promise(resolve => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/**
 * Follows an SSE stream with fetch (EventSource cannot send an Authorization header).
 * Callbacks: onEvent(name, data), onOpen(), onEnd() → return true to reconnect after a normal end,
 * onError(error, fatal), onRetry(delayMs). Reconnects with exponential backoff (1 s … 30 s) until close().
 */
export function followSse(path, { onEvent, onOpen, onEnd, onError, onRetry } = {}) {
  const ctrl = new AbortController();
  let closed = false;

  function dispatch(block) {
    let name = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      let value = i < 0 ? '' : line.slice(i + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) onEvent && onEvent(name, data.join('\n'));
  }

  (async () => {
    let delay = 1000;
    while (!closed) {
      try {
        const res = await fetch(path, {
          headers: headers({ Accept: 'text/event-stream' }), credentials: 'same-origin', cache: 'no-store',
          signal: ctrl.signal,
        });
        if (!res.ok) {
          const err = await problemOf(res);
          const fatal = [400, 401, 403, 404].includes(res.status);
          onError && onError(err, fatal);
          if (fatal) return;
        } else {
          onOpen && onOpen();
          delay = 1000;
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buf = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buf = (buf + decoder.decode(value, { stream: true })).replace(/\r\n/g, '\n');
            let i;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              dispatch(buf.slice(0, i));
              buf = buf.slice(i + 2);
            }
          }
          if (buf.trim()) dispatch(buf);
          if (closed) return;
          if (!(onEnd && onEnd())) return;
        }
      } catch (e) {
        if (closed || e.name === 'AbortError') return;
        onError && onError(e, false);
      }
      if (closed) return;
      onRetry && onRetry(delay);
      await sleep(delay, ctrl.signal);
      delay = Math.min(delay * 2, 30000);
    }
  })();

  return { close() { closed = true; ctrl.abort(); } };
}

/**
 * Runs fn now and then every intervalMs while the tab is visible (stops while hidden, runs at once when it
 * shows again). fn may return false to stop for good. Returns stop().
 */
export function poll(fn, intervalMs) {
  let timer = null;
  let stopped = false;
  let running = false;
  async function tick() {
    timer = null;
    if (stopped || running) return;
    if (document.hidden) return; // resumed by the visibility listener
    running = true;
    let again = true;
    try {
      again = (await fn()) !== false;
    } catch (e) {
      // fn reports its own errors
    } finally {
      running = false;
    }
    if (!again) { stop(); return; }
    if (!stopped && !document.hidden) timer = setTimeout(tick, intervalMs);
  }
  function onVisibility() {
    if (!document.hidden && !timer && !running && !stopped) tick();
    if (document.hidden && timer) { clearTimeout(timer); timer = null; }
  }
  function stop() {
    stopped = true;
    if (timer) clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  }
  document.addEventListener('visibilitychange', onVisibility);
  tick();
  return stop;
}
