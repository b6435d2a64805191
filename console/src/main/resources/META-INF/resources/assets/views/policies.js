// Rollback policies: every scope's current version (deployer, operator); operators get an editor that PUTs the
// next version of a scope (service/environment, '*' for any).
import { h, fill, timeEl } from '../dom.js';
import { api, session } from '../api.js';
import { showError, clearError, emptyNote } from '../ui.js';

const ACTIONS = ['ROLLBACK', 'CONDITIONAL', 'MONITOR', 'ALERT', 'NOTIFY'];
const SEVERITIES = ['P0', 'P1', 'P2', 'P3'];

export function renderPolicies(ctx) {
  document.title = 'Policies · Rollwatch';
  const isOperator = session.hasRole('operator');
  if (!session.hasRole('deployer', 'operator')) {
    fill(ctx.el, h('h1', { text: 'Rollback policies' }), emptyNote('Policies are visible to deployers and operators.'));
    return;
  }
  const tbody = h('tbody');
  const table = h('table.data.policies',
    h('caption.sr-only', { text: 'Rollback policies in force, one row per scope' }),
    h('thead', h('tr', ['Scope', 'Version', 'Pack', 'P0', 'P1', 'P2', 'P3', 'Auto rollback', 'Hold', 'Deadline',
      'Repeat', 'Changed', 'Reason', isOperator ? 'Edit' : null].filter(Boolean).map(t => h('th', { scope: 'col', text: t })))),
    tbody);
  const editorBox = h('div');
  fill(ctx.el, h('h1', { text: 'Rollback policies' }),
    h('p.muted', { text: 'The most specific scope wins: service/environment, then service/*, then */environment, then */*.' }),
    h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'Policies table' }, table), editorBox);

  let editor = null;
  async function load() {
    try {
      const list = await api('/api/rollback/policies');
      clearError('policies');
      fill(tbody, list.length ? list.map(p => row(p)) : h('tr', h('td', { colspan: 14, text: 'No policy visible to you.' })));
      if (isOperator && !editor) {
        const global = list.find(p => p.service === '*' && p.environment === '*') || list[0];
        editor = policyEditor(global, load);
        fill(editorBox, editor.el);
      }
    } catch (e) {
      showError(e, 'policies');
    }
  }

  function row(p) {
    const a = p.actions || {};
    return h('tr', { 'data-testid': 'policy', 'data-service': p.service, 'data-environment': p.environment },
      h('th', { scope: 'row', text: p.service + ' / ' + p.environment }),
      h('td.num', { text: 'v' + p.version }),
      h('td', h('code', { text: p.pack || '—' })),
      SEVERITIES.map(s => h('td', { text: a[s] || '—' })),
      h('td', { text: p.autoRollback ? 'yes' : 'no' }),
      h('td', { text: p.rollbackHold ? 'held' : 'no' }),
      h('td', { text: p.rollbackDeadline || '—' }),
      h('td', { text: p.repeatCount + ' in ' + p.repeatWindow }),
      h('td', timeEl(p.createdAt), h('br'), h('span.muted', { text: 'by ' + (p.createdBy || '?') })),
      h('td.reason', { text: p.reason || '' }),
      isOperator ? h('td', h('button', { type: 'button', text: 'Edit', 'aria-label': 'Edit policy ' + p.service + ' / ' + p.environment,
        onclick: () => { editor.load(p); editor.focus(); } })) : null);
  }

  load();
}

function policyEditor(initial, reload) {
  const f = {};
  const field = (id, label, input, hint) => h('div.field', h('label', { for: id, text: label }), input,
    hint ? h('p.hint.muted', { id: id + '-hint', text: hint }) : null);
  f.service = h('input', { id: 'pe-service', required: true, autocomplete: 'off' });
  f.environment = h('input', { id: 'pe-environment', required: true, autocomplete: 'off' });
  f.actions = Object.fromEntries(SEVERITIES.map(s => [s, h('select', { id: 'pe-' + s },
    ACTIONS.map(a => h('option', { value: a, text: a })))]));
  f.autoRollback = h('input', { id: 'pe-auto', type: 'checkbox' });
  f.rollbackHold = h('input', { id: 'pe-hold', type: 'checkbox' });
  f.repeatCount = h('input', { id: 'pe-repeat', type: 'number', min: 1, step: 1 });
  f.repeatWindow = h('input', { id: 'pe-window', 'aria-describedby': 'pe-window-hint' });
  f.rollbackDeadline = h('input', { id: 'pe-deadline', 'aria-describedby': 'pe-deadline-hint' });
  f.pack = h('input', { id: 'pe-pack', 'aria-describedby': 'pe-pack-hint' });
  f.conditionalDefault = h('select', { id: 'pe-conditional' }, ['ROLLBACK', 'HOLD'].map(a => h('option', { value: a, text: a })));
  f.deciders = h('input', { id: 'pe-deciders' });
  f.overrides = h('textarea', { id: 'pe-overrides', rows: 4, spellcheck: 'false', 'aria-describedby': 'pe-overrides-hint' });
  f.reason = h('textarea', { id: 'pe-reason', rows: 2, required: true });
  const result = h('p.form-result', { role: 'status', 'aria-live': 'polite' });

  const form = h('form.policy-editor.card', { 'data-testid': 'policy-editor', 'aria-labelledby': 'pe-title', novalidate: true },
    h('h2', { id: 'pe-title', text: 'Change a policy' }),
    h('p.muted', { text: 'Saving stores the next version of the scope; fields keep their values from the policy in force.' }),
    h('fieldset', h('legend', { text: 'Scope' }),
      h('div.grid-2', field('pe-service', 'Service (* for any)', f.service), field('pe-environment', 'Environment (* for any)', f.environment))),
    h('fieldset', h('legend', { text: 'Action per severity' }),
      h('div.grid-4', SEVERITIES.map(s => field('pe-' + s, s, f.actions[s])))),
    h('fieldset', h('legend', { text: 'Behaviour' }),
      h('div.grid-2',
        h('div.field.check', f.autoRollback, h('label', { for: 'pe-auto', text: 'Automatic rollback' })),
        h('div.field.check', f.rollbackHold, h('label', { for: 'pe-hold', text: 'Hold every automatic rollback (page instead)' })),
        field('pe-repeat', 'Repeat count', f.repeatCount),
        field('pe-window', 'Repeat window', f.repeatWindow, 'e.g. 5m'),
        field('pe-deadline', 'Rollback deadline', f.rollbackDeadline, 'escalated when not completed within this, e.g. 2m'),
        field('pe-pack', 'Policy pack', f.pack, 'e.g. runbook@1'),
        field('pe-conditional', 'Conditional default', f.conditionalDefault),
        field('pe-deciders', 'Deciders (role)', f.deciders))),
    field('pe-overrides', 'Rule overrides (JSON)', f.overrides, 'Per pack rule id: {"rule-id": {"sustainedFor": "5m"}}; {} clears them.'),
    field('pe-reason', 'Reason for the change (required)', f.reason),
    h('div.button-row', h('button.primary', { type: 'submit', 'data-testid': 'policy-save', text: 'Save new version' })),
    result);

  function load(p) {
    if (!p) return;
    f.service.value = p.service;
    f.environment.value = p.environment;
    for (const s of SEVERITIES) f.actions[s].value = (p.actions || {})[s] || 'NOTIFY';
    f.autoRollback.checked = !!p.autoRollback;
    f.rollbackHold.checked = !!p.rollbackHold;
    f.repeatCount.value = p.repeatCount ?? '';
    f.repeatWindow.value = p.repeatWindow || '';
    f.rollbackDeadline.value = p.rollbackDeadline || '';
    f.pack.value = p.pack || '';
    f.conditionalDefault.value = p.conditionalDefault || 'ROLLBACK';
    f.deciders.value = p.deciders || '';
    f.overrides.value = JSON.stringify(p.overrides || {}, null, 2);
    f.reason.value = '';
    result.textContent = 'Editing ' + p.service + ' / ' + p.environment + ' (in force: v' + p.version + ').';
  }

  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const service = f.service.value.trim();
    const environment = f.environment.value.trim();
    if (!service || !environment) { (service ? f.environment : f.service).focus(); return; }
    if (!f.reason.value.trim()) { f.reason.focus(); result.textContent = 'A reason is required.'; return; }
    let overrides;
    try {
      overrides = f.overrides.value.trim() ? JSON.parse(f.overrides.value) : undefined;
    } catch (e) {
      result.textContent = 'The overrides are not valid JSON: ' + e.message;
      f.overrides.focus();
      return;
    }
    const body = {
      actions: Object.fromEntries(SEVERITIES.map(s => [s, f.actions[s].value])),
      repeatCount: f.repeatCount.value === '' ? undefined : Number(f.repeatCount.value),
      repeatWindow: f.repeatWindow.value.trim() || undefined,
      autoRollback: f.autoRollback.checked,
      rollbackHold: f.rollbackHold.checked,
      rollbackDeadline: f.rollbackDeadline.value.trim() || undefined,
      pack: f.pack.value.trim() || undefined,
      overrides,
      conditionalDefault: f.conditionalDefault.value || undefined,
      deciders: f.deciders.value.trim() || undefined,
      reason: f.reason.value.trim(),
    };
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const saved = await api('/api/rollback/policies/' + encodeURIComponent(service) + '/' + encodeURIComponent(environment),
        { method: 'PUT', body });
      clearError('action');
      result.textContent = 'Saved ' + saved.service + ' / ' + saved.environment + ' as version ' + saved.version + '.';
      f.reason.value = '';
      reload();
    } catch (e) {
      result.textContent = 'Not saved.';
      showError(e, 'action');
    } finally {
      submit.disabled = false;
    }
  });

  load(initial || { service: '*', environment: '*', actions: {}, overrides: {} });
  return { el: form, load, focus: () => { form.scrollIntoView({ block: 'start' }); f.service.focus(); } };
}

