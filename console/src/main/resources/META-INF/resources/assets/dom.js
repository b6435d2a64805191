// Tiny DOM helpers: build elements without innerHTML (nothing from the APIs is ever parsed as HTML).

/**
 * h('tag.class', {attr: value, onclick: fn, dataset...}, ...children)
 * Attributes: 'class', 'text', any attribute name (data-*, aria-*), on<event> functions become listeners,
 * a value of null/undefined/false leaves the attribute out, true sets it empty.
 */
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = [el.className, v].filter(Boolean).join(' ');
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replaces el's children. */
export function fill(el, ...children) {
  clear(el);
  return append(el, children);
}

/** Sets text only when it changed (keeps screen readers and selections calm on live updates). */
export function setText(el, text) {
  const t = text === null || text === undefined ? '' : String(text);
  if (el.textContent !== t) el.textContent = t;
}

const STATUS_ICON = {
  PENDING: '○', RUNNING: '▶', AWAITING_APPROVAL: '⏸', PAUSED: '⏸', SUCCEEDED: '✓', ROLLING_BACK: '↺',
  ROLLED_BACK: '↩', ROLLBACK_FAILED: '✗', ABORTED: '■', FAILED: '✗',
};

export const TERMINAL = new Set(['SUCCEEDED', 'ROLLED_BACK', 'ROLLBACK_FAILED', 'ABORTED', 'FAILED']);

/** The tone of a status: ok, bad, warn, live, idle (colour is never the only signal: icon and text go with it). */
export function tone(status) {
  switch (status) {
    case 'SUCCEEDED': case 'DELIVERED': case 'COMPLETED': case 'PASSED': return 'ok';
    case 'ROLLED_BACK': case 'ROLLING_BACK': case 'AWAITING_APPROVAL': case 'PAUSED': return 'warn';
    case 'FAILED': case 'ROLLBACK_FAILED': case 'ABORTED': case 'DEAD': return 'bad';
    case 'RUNNING': case 'PENDING': case 'OPEN': return 'live';
    default: return 'idle';
  }
}

/** A status badge: icon (decorative) + the status text in an element that may carry a data-testid. */
export function statusBadge(status, testid) {
  return h('span.badge', { class: 'tone-' + tone(status) },
    h('span.badge-icon', { 'aria-hidden': 'true', text: STATUS_ICON[status] || '•' }),
    h('span', { 'data-testid': testid, text: status || '—' }));
}

export function updateBadge(badge, status) {
  badge.className = 'badge tone-' + tone(status);
  setText(badge.firstChild, STATUS_ICON[status] || '•');
  setText(badge.lastChild, status || '—');
}

// ---- formatting ----

/** 2026-12-04 19:05:47 UTC */
export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC');
}

/** 19:05:47 */
export function fmtClock(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().slice(11, 19);
}

export function timeEl(iso, short) {
  return h('time', { datetime: iso || undefined, title: iso ? fmtTime(iso) : undefined,
    text: short ? fmtClock(iso) : fmtTime(iso) });
}

export function fmtDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return Math.round(ms) + ' ms';
  const s = ms / 1000;
  if (s < 60) return (s < 10 ? s.toFixed(1) : Math.round(s)) + ' s';
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  if (m < 60) return m + ' min ' + rest + ' s';
  return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
}

/** A value in its unit: a ratio as a percentage. */
export function fmtValue(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (unit === 'ratio') return trim(v * 100) + ' %';
  if (unit === 'ms') return trim(v) + ' ms';
  if (unit === 's' || unit === 'seconds') return trim(v) + ' s';
  return trim(v) + (unit ? ' ' + unit : '');
}

function trim(n) {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  const digits = a === 0 ? 0 : a >= 100 ? 1 : a >= 1 ? 3 : 4;
  return String(Number(n.toFixed(digits)));
}

const SYMBOLS = { GT: '>', GTE: '≥', LT: '<', LTE: '≤', '>': '>', '>=': '≥', '<': '<', '<=': '≤' };

export function opSymbol(op) {
  return op ? (SYMBOLS[op] || op) : '';
}

/** Visually hidden text for screen readers. */
export function sr(text) {
  return h('span.sr-only', { text });
}
