// The audit log for auditors: a deployment's events as an ordered chain with each event's cause, the rollback
// chains (breach → decision → rollback → notifications, timed) and the integrity check (head hash, checkpoints).
import { h, fill, setText, timeEl, fmtDuration, fmtValue, opSymbol, fmtTime } from '../dom.js';
import { api, apiOrNull, poll, session } from '../api.js';
import { showError, clearError, emptyNote } from '../ui.js';

/** 'dev.rollwatch.threshold.breached.v1' → 'threshold.breached' */
export function shortType(type) {
  return (type || '').replace(/^dev\.rollwatch\./, '').replace(/\.v\d+$/, '');
}

function shortSource(source) {
  return (source || '').replace(/^\/rollwatch\//, '');
}

/** Renders a timeline (or a note when there is none) into el. */
export function renderTimeline(el, timeline) {
  const key = JSON.stringify(timeline || null);
  if (el.dataset.rendered === key.length + ':' + hash(key)) return; // unchanged: keep focus and scroll
  el.dataset.rendered = key.length + ':' + hash(key);
  if (!timeline) {
    fill(el, emptyNote('The audit log holds no event about this deployment (yet).'));
    return;
  }
  const events = timeline.events || [];
  const byId = new Map(events.map(e => [e.id, e]));
  const depth = new Map();
  function depthOf(e, guard = 0) {
    if (depth.has(e.id)) return depth.get(e.id);
    const cause = e.causationId ? byId.get(e.causationId) : null;
    const d = cause && guard < 20 ? Math.min(depthOf(cause, guard + 1) + 1, 6) : 0;
    depth.set(e.id, d);
    return d;
  }
  const list = h('ol.audit-timeline', { 'data-testid': 'audit-timeline', 'aria-label': 'Audit events in log order' },
    events.map(e => {
      const d = depthOf(e);
      const cause = e.causedByPosition != null
        ? h('span.cause', ' ← caused by ', h('a', { href: '#', 'data-position': e.causedByPosition, class: 'cause-link',
          text: '#' + e.causedByPosition + ' ' + shortType(e.causedByType) }))
        : (e.causationId ? h('span.cause.muted', { text: ' ← caused by an event outside this deployment' }) : null);
      return h('li', { id: 'audit-pos-' + e.position, tabindex: '-1', class: 'depth-' + d, 'data-position': e.position,
        'data-type': e.type },
        h('span.pos', { text: '#' + e.position }), ' ', timeEl(e.time, true), ' ',
        h('strong', { text: shortType(e.type) }), ' ', h('span.muted', { text: shortSource(e.source) }), cause);
    }));
  list.addEventListener('click', ev => {
    const a = ev.target.closest('a.cause-link');
    if (!a) return;
    ev.preventDefault();
    const target = list.querySelector('#audit-pos-' + a.dataset.position);
    if (target) {
      target.focus();
      target.classList.add('flash');
      setTimeout(() => target.classList.remove('flash'), 1500);
    }
  });

  const chains = (timeline.rollbacks || []).map((r, i) => {
    const steps = [];
    for (const b of r.breaches || []) {
      const unit = /rate|ratio/.test(b.metric || '') ? 'ratio' : null;
      steps.push(h('li', h('strong', { text: 'Breach' }), ' #' + b.position + ' ', timeEl(b.observedAt || b.time, true), ' ',
        h('span', { text: b.check + ' (' + (b.severity || '?') + '): ' + (b.observed || []).map(v => fmtValue(v, unit)).join(', ') + ' '
          + opSymbol(b.operator) + ' ' + fmtValue(b.threshold, unit) })));
    }
    if (r.decision) {
      const d = r.decision;
      steps.push(h('li', h('strong', { text: 'Decision' }), ' #' + d.position + ' ', timeEl(d.time, true), ' ',
        h('span', { text: (d.trigger || '') + ' ' + (d.policyRule || '') + (d.policyVersion != null ? ' (policy v' + d.policyVersion + ')' : '')
          + ': ' + (d.fromVersion || '?') + ' → ' + (d.toVersion || '?') + (d.requestedBy ? ', by ' + d.requestedBy : '') })));
    }
    if (r.rollback) steps.push(h('li', h('strong', { text: 'Rollback' }), ' #' + r.rollback.position + ' ', timeEl(r.rollback.time, true),
      ' ' + (r.rollback.outcome || '') + (r.rollback.toVersion ? ', target back on ' + r.rollback.toVersion : '')));
    if (r.finished) steps.push(h('li', h('strong', { text: 'Finished' }), ' #' + r.finished.position + ' ', timeEl(r.finished.time, true),
      ' ' + (r.finished.outcome || '')));
    for (const n of r.notifications || []) {
      steps.push(h('li', h('strong', { text: 'Notified' }), ' #' + n.position + ' ', timeEl(n.time, true),
        ' ' + (n.channel || '?') + ': ' + (n.status || '') + ' (' + n.attempts + ' attempt' + (n.attempts === 1 ? '' : 's') + ')'));
    }
    const du = r.durations || {};
    return h('section.chain', { 'aria-label': 'Rollback ' + (i + 1) },
      h('h4', { text: 'Rollback ' + (i + 1) + ': causal chain' }),
      h('ol.chain-steps', steps),
      h('p', 'Breach → decision ', h('strong', { text: fmtDuration(du.breachToDecisionMs) }), '; decision → rollback done ',
        h('strong', { text: fmtDuration(du.decisionToRollbackDoneMs) }), '; detection to rollback ',
        h('strong', { 'data-testid': 'audit-detection-to-rollback', text: fmtDuration(du.breachToRollbackDoneMs) }), '.'));
  });
  fill(el, list, chains);
}

/** The verify result: valid or where the chain breaks, head hash, checkpoints. */
export function renderVerify(el, ctx) {
  const result = h('div');
  const button = h('button', { type: 'button', text: 'Verify again' });
  const box = h('section.audit-verify', { 'data-testid': 'audit-verify', 'aria-live': 'polite' }, result, button);
  fill(el, box);
  async function run() {
    button.disabled = true;
    fill(result, h('p.muted', { text: 'Verifying the hash chain…' }));
    try {
      const [v, checkpoints] = await Promise.all([
        api('/api/audit/audit/verify'),
        apiOrNull('/api/audit/audit/checkpoints?limit=100').catch(() => null),
      ]);
      clearError('verify');
      const cps = (checkpoints || []).slice(-5).reverse();
      fill(result,
        h('p.verdict', { class: v.valid ? 'tone-ok' : 'tone-bad' },
          h('span', { 'aria-hidden': 'true', text: v.valid ? '✓ ' : '✗ ' }),
          h('strong', { 'data-testid': 'audit-valid', text: v.valid ? 'Chain intact' : 'Chain broken' }),
          v.valid ? '' : ' at position ' + v.firstBadPosition + (v.reason ? ': ' + v.reason : '')),
        h('dl.kv',
          h('div', h('dt', { text: 'Entries' }), h('dd', { text: v.entries + ' (positions ' + v.from + '…' + v.to + ')' })),
          h('div', h('dt', { text: 'Checkpoints matched' }), h('dd', { text: String(v.checkpoints) })),
          h('div', h('dt', { text: 'Head hash' }), h('dd', h('code.hash', { 'data-testid': 'audit-head', text: v.headHash || '—' })))),
        cps.length ? h('div.table-wrap', h('table.data.checkpoints',
          h('caption', { text: 'Latest signed checkpoints' }),
          h('thead', h('tr', ['Position', 'Head hash', 'Key', 'Signed'].map(t => h('th', { scope: 'col', text: t })))),
          h('tbody', cps.map(c => h('tr', h('td.num', { text: String(c.position) }),
            h('td', h('code.hash', { title: c.headHash, text: (c.headHash || '').slice(0, 16) + '…' })),
            h('td', h('code', { text: c.keyId || '—' })), h('td', timeEl(c.signedAt))))))) : emptyNote('No checkpoint signed yet.'),
        h('p.muted', { text: 'Verified ' + fmtTime(new Date().toISOString()) }));
    } catch (e) {
      fill(result, h('p.muted', { text: 'Could not verify.' }));
      showError(e, 'verify');
    } finally {
      button.disabled = false;
    }
  }
  button.addEventListener('click', run);
  run();
}

/** #/audit and #/audit/<deploymentId> */
export function renderAudit(ctx, id) {
  document.title = (id ? 'Audit ' + id.slice(0, 8) : 'Audit') + ' · Rollwatch';
  if (!session.hasRole('auditor')) {
    fill(ctx.el, h('h1', { text: 'Audit' }), emptyNote('The audit log is for auditors; your roles do not include auditor.'));
    return;
  }
  const input = h('input', { id: 'audit-deployment', type: 'text', value: id || '', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'deployment id (UUID)' });
  const form = h('form.inline-form', { role: 'search', 'aria-label': 'Audit timeline of a deployment' },
    h('label', { for: 'audit-deployment', text: 'Deployment' }), input, h('button.primary', { type: 'submit', text: 'Show timeline' }));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const v = input.value.trim();
    if (v) ctx.navigate('#/audit/' + encodeURIComponent(v));
  });
  const timelineBox = h('div');
  const verifyBox = h('div');
  fill(ctx.el, h('h1', { text: id ? 'Audit of deployment ' + id : 'Audit' }), form,
    h('div.audit-grid',
      h('section.card', { 'aria-labelledby': 'audit-tl' }, h('h2', { id: 'audit-tl', text: 'Timeline' }),
        id ? [h('p', h('a', { href: '#/deployments/' + encodeURIComponent(id), text: 'Open the deployment' })), timelineBox]
          : emptyNote('Enter a deployment id to see its events and causal chains.')),
      h('section.card', { 'aria-labelledby': 'audit-int' }, h('h2', { id: 'audit-int', text: 'Integrity' }), verifyBox)));
  renderVerify(verifyBox, ctx);
  if (id) {
    ctx.onCleanup(poll(async () => {
      try {
        const t = await apiOrNull('/api/audit/audit/deployments/' + encodeURIComponent(id) + '/timeline');
        clearError('timeline');
        renderTimeline(timelineBox, t);
      } catch (e) {
        showError(e, 'timeline');
      }
    }, 5000));
  }
}

function hash(s) {
  let x = 0;
  for (let i = 0; i < s.length; i++) x = (x * 31 + s.charCodeAt(i)) | 0;
  return x;
}
