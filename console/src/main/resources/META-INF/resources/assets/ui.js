// Shared bits of the page: the error box, the reason dialog, sections.
import { h, fill, clear } from './dom.js';
import { ApiError } from './api.js';

const errors = new Map(); // source → error, shown newest last

function render() {
  const slot = document.getElementById('error-slot');
  if (!slot) return;
  if (!errors.size) { clear(slot); return; }
  const items = [...errors.entries()];
  const box = h('div.error', { 'data-testid': 'error', role: 'alert' },
    h('span.error-icon', { 'aria-hidden': 'true', text: '⚠' }),
    h('div.error-body', items.map(([, e]) => h('p', describe(e)))),
    h('button.link-button', { type: 'button', onclick: () => { errors.clear(); render(); }, text: 'Dismiss' }));
  fill(slot, box);
}

function describe(e) {
  if (e instanceof ApiError) {
    const p = e.problem;
    return [h('strong', { text: p.title || ('HTTP ' + p.status) }), p.status ? ' (' + p.status + ')' : '',
      p.detail ? ': ' + p.detail : ''];
  }
  return [h('strong', { text: 'Error' }), ': ' + (e && e.message ? e.message : String(e))];
}

/** Shows an error; the source lets a later success of the same thing clear it (live polls). */
export function showError(e, source = 'action') {
  if (e && e.name === 'AbortError') return;
  const before = errors.get(source);
  errors.set(source, e);
  if (!before || before.message !== (e && e.message)) render();
}

export function clearError(source) {
  if (errors.delete(source)) render();
}

export function clearAllErrors() {
  errors.clear();
  render();
}

/**
 * Asks for a reason in a modal dialog. Resolves to the reason ('' allowed unless required) or null (cancelled).
 */
export function askReason({ title, action, required, placeholder }) {
  return new Promise(resolve => {
    const input = h('textarea', { id: 'reason-input', 'data-testid': 'reason-input', rows: 3, maxlength: 1500,
      required: required || undefined, placeholder: placeholder || '' });
    const hint = h('p.muted', { id: 'reason-hint', text: required ? 'A reason is required; it goes into the audit log.' :
      'Optional; it goes into the audit log.' });
    input.setAttribute('aria-describedby', 'reason-hint');
    const dialog = h('dialog.reason-dialog', { 'aria-labelledby': 'reason-title' });
    const form = h('form', { method: 'dialog' },
      h('h2', { id: 'reason-title', text: title }),
      h('label', { for: 'reason-input', text: 'Reason' }), input, hint,
      h('div.button-row',
        h('button.primary', { type: 'submit', value: 'ok', 'data-testid': 'reason-confirm', text: action }),
        h('button', { type: 'button', 'data-testid': 'reason-cancel', text: 'Cancel',
          onclick: () => dialog.close('cancel') })));
    form.addEventListener('submit', ev => {
      if (required && !input.value.trim()) {
        ev.preventDefault();
        input.focus();
      }
    });
    dialog.append(form);
    const opener = document.activeElement;
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'ok';
      const value = input.value.trim();
      dialog.remove();
      if (opener && opener.focus) opener.focus();
      resolve(ok ? value : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

/** A titled section; returns {section, body}. */
export function section(title, attrs = {}, headingLevel = 'h2') {
  const id = 'sec-' + title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const body = h('div.section-body');
  const sec = h('section.card', { 'aria-labelledby': id, ...attrs }, h(headingLevel, { id, text: title }), body);
  return { section: sec, body };
}

export function emptyNote(text) {
  return h('p.muted', { text });
}
