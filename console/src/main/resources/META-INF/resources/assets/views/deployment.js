// One deployment: status (live over SSE), steps, metric charts, actions by role, the rollback decision, the
// live feed and, for auditors, the audit timeline and verify result.
import { h, fill, setText, statusBadge, updateBadge, timeEl, fmtTime, fmtClock, fmtDuration, fmtValue, opSymbol,
  TERMINAL, sr } from '../dom.js';
import { api, apiOrNull, followSse, poll, session, newIdempotencyKey, ApiError } from '../api.js';
import { showError, clearError, askReason, section, emptyNote } from '../ui.js';
import { ChartBoard, checksFromSeries, checksFromAnalysis } from './charts.js';
import { renderTimeline, renderVerify } from './audit.js';

const POLL_MS = 3000;
const WATCH_GRACE_MS = 4000;
const AFTER_FINISH_MS = 3 * 60 * 1000; // keep polling decisions/notifications this long after the end

export function renderDeployment(ctx, id) {
  document.title = 'Deployment ' + id.slice(0, 8) + ' · Rollwatch';
  const enc = encodeURIComponent(id);
  const canDeploy = session.hasRole('deployer', 'operator');
  const isOperator = session.hasRole('operator');
  const isAuditor = session.hasRole('auditor');
  const mayReadDeliveries = session.hasRole('operator', 'admin');

  const state = { dep: null, analysis: null, series: null, seriesMissing: false, decisions: null, deliveries: null,
    report: null, timeline: null, sseOpen: false };

  // ---- header ----
  const title = h('h1', { text: 'Deployment' });
  const badge = statusBadge(null, 'deployment-status');
  const statusLine = h('div.status-line', { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' },
    h('span.status-label', { text: 'Status ' }), badge);
  const reason = h('p.status-reason');
  const meta = h('dl.meta');
  const weightBar = h('div.weight');
  const connection = h('span.connection.muted', { 'aria-live': 'off' });
  const head = h('header.deploy-head.card', h('p.crumbs', h('a', { href: '#/deployments', text: '← Deployments' })),
    title, statusLine, reason, weightBar, meta, connection);

  // ---- sections ----
  const actions = h('div.actions.button-row', { role: 'group', 'aria-label': 'Actions' });
  const actionsCard = h('section.card', { 'aria-labelledby': 'sec-actions' }, h('h2', { id: 'sec-actions', text: 'Actions' }), actions);
  const steps = section('Steps');
  const stepsList = h('ol.steps', { 'data-testid': 'steps' });
  steps.body.append(stepsList);
  const metrics = section('Canary metrics');
  const chartsNote = h('p.muted');
  const chartsBox = h('div.charts');
  metrics.body.append(chartsNote, chartsBox);
  const board = new ChartBoard(chartsBox);
  ctx.onCleanup(() => board.destroy());
  const decisionSec = section('Rollback decision');
  const feedSec = section('Live feed');
  const feed = h('ol.feed', { 'data-testid': 'event-feed', role: 'log', 'aria-label': 'Live step and event feed' });
  feedSec.body.append(feed);
  const auditSec = section('Audit');
  const auditBox = h('div');
  auditSec.body.append(auditBox);

  const left = h('div.col-main', steps.section, metrics.section);
  const right = h('div.col-side');
  if (canDeploy && (isOperator || session.hasRole('deployer'))) right.append(actionsCard);
  right.append(decisionSec.section, feedSec.section);
  fill(ctx.el, head, h('div.deploy-grid', left, right));
  if (isAuditor) ctx.el.append(auditSec.section);
  if (!canDeploy) {
    fill(steps.body, emptyNote('Your roles do not include deployer or operator: the deployment itself is not visible to you.'));
    metrics.section.remove();
    feedSec.section.remove();
    decisionSec.section.remove();
    setText(title, 'Deployment ' + id);
  }

  // ---- actions ----
  const buttons = {};
  function actionButton(key, label, testid, roles, run) {
    if (!session.hasRole(...roles)) return;
    const b = h('button', { type: 'button', 'data-testid': testid, class: key === 'rollback' || key === 'abort' ? 'danger' : '' },
      h('span', { 'aria-hidden': 'true', text: { approve: '✓ ', abort: '■ ', promote: '» ', rollback: '↩ ' }[key] }), label);
    b.addEventListener('click', run);
    buttons[key] = b;
    actions.append(b);
  }
  async function act(key, verb, path, required) {
    const reasonText = await askReason({ title: verb + ' deployment ' + (state.dep ? state.dep.service + ' ' + state.dep.version : id),
      action: verb, required });
    if (reasonText === null) return;
    const b = buttons[key];
    b.disabled = true;
    try {
      const body = key === 'rollback' ? { reason: reasonText } : { reason: reasonText || null };
      const res = await api(path, { method: 'POST', body, extraHeaders: key === 'rollback' ? { 'Idempotency-Key': newIdempotencyKey() } : undefined });
      clearError('action');
      if (res && res.status && res.id === id) applyDeployment(res, false);
      addFeed(verb + ' requested by ' + session.me.subject + (reasonText ? ': ' + reasonText : ''), new Date().toISOString(), 'action');
      refreshSoon();
    } catch (e) {
      showError(e, 'action');
    } finally {
      updateActions();
    }
  }
  if (canDeploy) {
    actionButton('approve', 'Approve', 'action-approve', ['operator'], () => act('approve', 'Approve', '/api/deploy/deployments/' + enc + '/approve', false));
    actionButton('promote', 'Promote', 'action-promote', ['operator'], () => act('promote', 'Promote', '/api/deploy/deployments/' + enc + '/promote', false));
    actionButton('abort', 'Abort', 'action-abort', ['deployer', 'operator'], () => act('abort', 'Abort', '/api/deploy/deployments/' + enc + '/abort', false));
    actionButton('rollback', 'Roll back', 'action-rollback', ['operator'], () => act('rollback', 'Roll back', '/api/rollback/deployments/' + enc + '/rollback', true));
    actions.append(h('p.muted.action-hint', { id: 'action-hint' }));
  }
  function updateActions() {
    const s = state.dep && state.dep.status;
    const allowed = {
      approve: s === 'AWAITING_APPROVAL',
      promote: ['RUNNING', 'AWAITING_APPROVAL', 'PAUSED'].includes(s),
      abort: !!s && !TERMINAL.has(s) && s !== 'ROLLING_BACK',
      rollback: !!s && (!TERMINAL.has(s) || s === 'SUCCEEDED') && s !== 'ROLLING_BACK',
    };
    for (const [k, b] of Object.entries(buttons)) {
      b.disabled = !allowed[k];
      b.setAttribute('aria-describedby', 'action-hint');
    }
    const hint = actions.querySelector('.action-hint');
    if (hint) setText(hint, s ? 'Actions that do not apply to a ' + s + ' deployment are disabled.' : '');
  }

  // ---- steps ----
  function renderSteps(dep) {
    const plan = dep.steps || [];
    const latest = new Map();
    for (const s of dep.history || []) {
      const prev = latest.get(s.index);
      if (!prev || (s.startedAt || '') >= (prev.startedAt || '')) latest.set(s.index, s);
    }
    let weight = 0;
    const items = plan.map((spec, i) => {
      if (spec.kind === 'SET_WEIGHT' && spec.weight !== null && spec.weight !== undefined) weight = spec.weight;
      const hist = latest.get(i);
      let st = 'pending';
      if (hist) {
        st = hist.status === 'RUNNING' ? 'current' : (hist.status === 'SUCCEEDED' || hist.status === 'SKIPPED') ? 'done' : 'failed';
      } else if (i < dep.currentStep) {
        st = 'done';
      } else if (i === dep.currentStep && !TERMINAL.has(dep.status)) {
        st = 'current';
      } else if (dep.status === 'SUCCEEDED') {
        st = 'done';
      }
      const label = stepLabel(spec);
      const icon = { done: '✓', current: '▶', pending: '○', failed: '✗' }[st];
      const detail = hist ? [hist.status, hist.startedAt ? ' ' + fmtClock(hist.startedAt) : '',
        hist.finishedAt ? '–' + fmtClock(hist.finishedAt) : ''].join('') : 'not started';
      return h('li.step', { 'data-testid': 'step', 'data-weight': String(weight), 'data-state': st, class: 'state-' + st,
        title: (hist && hist.detail) || undefined, 'aria-current': st === 'current' ? 'step' : undefined },
        h('span.step-icon', { 'aria-hidden': 'true', text: icon }),
        h('span.step-label', { text: label }),
        h('span.step-weight', { text: weight + ' %' }),
        h('span.step-state', { text: st }),
        sr(' — ' + detail + (hist && hist.detail ? ': ' + hist.detail : '')));
    });
    fill(stepsList, items);
    stepsList.setAttribute('aria-label', 'Steps: ' + (dep.currentStep + 1) + ' of ' + plan.length);
  }

  function renderHeader(dep) {
    setText(title, dep.service + ' ' + dep.version + ' → ' + dep.environment);
    document.title = dep.service + ' ' + dep.version + ' (' + dep.status + ') · Rollwatch';
    updateBadge(badge, dep.status);
    badge.closest('.status-line').dataset.tone = dep.status;
    setText(reason, dep.statusReason || '');
    fill(weightBar,
      h('label', { for: 'weight-meter', text: 'Traffic on ' + dep.version + ': ' + dep.currentWeight + ' %' }),
      h('progress', { id: 'weight-meter', max: 100, value: dep.currentWeight }));
    const rows = [
      ['Previous version', dep.previousVersion || '—'],
      ['Requested by', dep.requestedBy || '—'],
      ['Promoted by', dep.promotedBy],
      ['Created', timeEl(dep.createdAt)],
      ['Finished', dep.finishedAt ? timeEl(dep.finishedAt) : '—'],
      ['Target', dep.target ? (dep.target.url || dep.target.type || '—') : '—'],
      ['Id', h('code', { text: dep.id })],
    ].filter(([, v]) => v !== null && v !== undefined);
    fill(meta, rows.map(([k, v]) => h('div', h('dt', { text: k }), h('dd', v))));
  }

  // ---- live feed ----
  let lastFeedKey = null;
  function addFeed(text, iso, kind) {
    const key = text;
    if (key === lastFeedKey) return;
    lastFeedKey = key;
    feed.append(h('li', { class: 'feed-' + (kind || 'info') }, timeEl(iso || new Date().toISOString(), true), ' ', h('span', { text })));
    while (feed.children.length > 200) feed.firstChild.remove();
    feed.scrollTop = feed.scrollHeight;
  }
  function feedFromHistory(dep) {
    const items = [];
    items.push({ t: dep.createdAt, text: 'Deployment of ' + dep.service + ' ' + dep.version + ' to ' + dep.environment + ' requested by ' + (dep.requestedBy || '?') });
    for (const s of dep.history || []) {
      const label = 'Step ' + (s.index + 1) + ' ' + stepLabel((dep.steps || [])[s.index] || s);
      if (s.startedAt) items.push({ t: s.startedAt, text: label + ' started' });
      if (s.finishedAt) items.push({ t: s.finishedAt, text: label + ' ' + s.status.toLowerCase() + (s.detail ? ': ' + s.detail : '') });
    }
    if (dep.finishedAt) items.push({ t: dep.finishedAt, text: 'Deployment ' + dep.status });
    items.sort((a, b) => (a.t || '').localeCompare(b.t || ''));
    items.forEach(i => addFeed(i.text, i.t, 'history'));
  }
  function feedDiff(prev, dep) {
    if (prev.status !== dep.status) addFeed('Status ' + prev.status + ' → ' + dep.status + (dep.statusReason ? ': ' + dep.statusReason : ''), dep.updatedAt, 'status');
    if (prev.currentWeight !== dep.currentWeight) addFeed('Traffic weight ' + prev.currentWeight + ' % → ' + dep.currentWeight + ' %', dep.updatedAt, 'weight');
    const before = new Map((prev.history || []).map(s => [s.index + '@' + s.startedAt, s]));
    for (const s of dep.history || []) {
      const label = 'Step ' + (s.index + 1) + ' ' + stepLabel((dep.steps || [])[s.index] || s);
      const old = before.get(s.index + '@' + s.startedAt);
      if (!old) addFeed(label + ' started', s.startedAt, 'step');
      if (s.status !== 'RUNNING' && (!old || old.status !== s.status)) {
        addFeed(label + ' ' + s.status.toLowerCase() + (s.detail ? ': ' + s.detail : ''), s.finishedAt || dep.updatedAt, 'step');
      }
    }
  }

  // ---- applying a deployment view (SSE or GET) ----
  function applyDeployment(dep, fromStream) {
    const prev = state.dep;
    if (prev && prev.updatedAt && dep.updatedAt && dep.updatedAt < prev.updatedAt) return; // older than what we show
    state.dep = dep;
    if (!prev) feedFromHistory(dep);
    else if (fromStream || prev.updatedAt !== dep.updatedAt) feedDiff(prev, dep);
    renderHeader(dep);
    renderSteps(dep);
    updateActions();
    renderDecision();
  }

  // ---- decision panel ----
  function renderDecision() {
    if (!canDeploy) return;
    const items = (state.decisions && state.decisions.items) || [];
    if (!items.length) {
      fill(decisionSec.body, emptyNote(state.decisions ? 'No rollback decision for this deployment.' : 'Loading decisions…'));
      return;
    }
    const d = items.find(x => x.action === 'ROLLBACK') || items[0];
    const breach = findBreach(d);
    const unit = breach ? breach.unit : null;
    const measured = breach && breach.values.length ? breach.values.map(v => fmtValue(v, unit)).join(', ') : '—';
    const threshold = breach ? opSymbol(breach.operator) + ' ' + fmtValue(breach.threshold, unit) : '—';
    const dtr = detectionToRollback(d);
    const panel = h('div.decision', { 'data-testid': 'decision' },
      h('p.decision-head', statusBadge(d.action, null), ' ', h('span', { text: (d.trigger || '') + (d.severity ? ' · ' + d.severity : '') +
        (d.status ? ' · ' + d.status : '') })),
      h('dl.kv',
        kv('Rule', h('span', { 'data-testid': 'decision-rule' }, h('code', { text: d.packRule || d.rule || '—' }),
          d.seedRule ? h('span.muted', { text: ' — runbook ' + d.seedRule }) : '')),
        kv('Policy', h('span', { 'data-testid': 'decision-policy', text: (d.policyPack || 'policy') + ' · version ' +
          (d.policyVersion ?? '—') + (d.policyId != null ? ' (policy #' + d.policyId + ')' : '') })),
        kv('Check', d.check || '—'),
        kv('Measured', h('span', { 'data-testid': 'decision-measured', text: measured })),
        kv('Threshold', h('span', { 'data-testid': 'decision-threshold', text: threshold })),
        kv('Versions', (d.fromVersion || '?') + ' → ' + (d.toVersion || '?')),
        kv('Detected', d.observedAt ? timeEl(d.observedAt) : '—'),
        kv('Decided', d.decidedAt ? timeEl(d.decidedAt) : '—'),
        kv('Rolled back', d.completedAt ? timeEl(d.completedAt) : '—'),
        kv('Detection to rollback', h('span', { 'data-testid': 'detection-to-rollback', title: dtr.how, text: dtr.text })),
        kv('Notified', h('div', { 'data-testid': 'decision-notified' }, notified(d))),
        kv('Requested by', d.requestedBy || '—')),
      d.reason ? h('p.decision-reason', { text: d.reason }) : null);
    const others = items.filter(x => x !== d);
    const list = others.length ? h('details.other-decisions', h('summary', { text: others.length + ' other decision(s)' }),
      h('div.table-wrap', h('table.data',
        h('thead', h('tr', ['Action', 'Rule', 'Check', 'Severity', 'Decided', 'Status'].map(t => h('th', { scope: 'col', text: t })))),
        h('tbody', others.map(x => h('tr', h('td', { text: x.action }), h('td', h('code', { text: x.packRule || x.rule || '—' })),
          h('td', { text: x.check || '—' }), h('td', { text: x.severity || '—' }), h('td', timeEl(x.decidedAt || x.observedAt)),
          h('td', { text: x.status || x.resolution || '—' }))))))) : null;
    fill(decisionSec.body, panel, list);
  }

  function findBreach(d) {
    const a = state.analysis;
    if (a && a.breaches) {
      const b = a.breaches.find(x => x.eventId === d.breachEventId) || a.breaches.find(x => x.check === d.check);
      if (b) return { values: b.observed || [], operator: b.operator, threshold: b.threshold, unit: unitOf(b.metric, d.check) };
    }
    const checks = state.series ? checksFromSeries(state.series) : [];
    const c = checks.find(x => x.name === d.check);
    if (c && c.breaches.length) {
      const b = c.breaches[c.breaches.length - 1];
      return { values: [b.v], operator: c.operator, threshold: c.threshold, unit: c.unit };
    }
    if (state.timeline) {
      for (const r of state.timeline.rollbacks || []) {
        const tb = (r.breaches || []).find(x => x.eventId === d.breachEventId);
        if (tb) return { values: tb.observed || [], operator: tb.operator, threshold: tb.threshold, unit: unitOf(tb.metric) };
      }
    }
    return null;
  }

  function unitOf(metric, check) {
    const c = state.series ? checksFromSeries(state.series).find(x => x.name === check) : null;
    if (c && c.unit) return c.unit;
    return /rate|ratio/.test(metric || '') ? 'ratio' : null;
  }

  function detectionToRollback(d) {
    if (state.report && state.report.detectionToRollbackMs != null) {
      return { text: fmtDuration(state.report.detectionToRollbackMs), how: 'From the deploy service\'s report (breach observed → rollback completed).' };
    }
    if (d.observedAt && d.completedAt) {
      return { text: fmtDuration(Date.parse(d.completedAt) - Date.parse(d.observedAt)), how: 'Computed: breach observed → rollback completed.' };
    }
    if (d.observedAt && d.decidedAt) {
      return { text: 'not completed yet (decided ' + fmtDuration(Date.parse(d.decidedAt) - Date.parse(d.observedAt)) + ' after detection)',
        how: 'Computed: breach observed → decision.' };
    }
    return { text: '—', how: '' };
  }

  function notified(d) {
    if (state.deliveries) {
      const items = state.deliveries.items || [];
      if (!items.length) return 'Nobody yet.';
      const byChannel = new Map();
      for (const x of items) {
        const key = x.channel + (x.fallbackFor && x.fallbackFor.length ? ' (for ' + x.fallbackFor.join(', ') + ')' : '');
        const entry = byChannel.get(key) || { count: 0, statuses: new Set() };
        entry.count++;
        entry.statuses.add(x.status);
        byChannel.set(key, entry);
      }
      const rollbackRelated = items.filter(x => /rollback|breach|threshold/.test(x.eventType || '') || (x.title || '').toLowerCase().includes('rollback'));
      return [h('ul.plain', [...byChannel].map(([ch, e]) => h('li', h('strong', { text: ch }), ': ' + e.count + ' message(s), ' + [...e.statuses].join(', ')))),
        h('details', h('summary', { text: rollbackRelated.length + ' about the breach and rollback' }),
          h('ul.plain', rollbackRelated.map(x => h('li', timeEl(x.createdAt, true), ' ', h('span', { text: x.channel + ' · ' + x.status + ' · ' + (x.title || x.eventType) })))))];
    }
    if (state.timeline) {
      const r = (state.timeline.rollbacks || [])[0];
      const n = r ? r.notifications || [] : [];
      if (n.length) return h('ul.plain', n.map(x => h('li', h('strong', { text: x.channel || '?' }), ': ' + (x.status || '') + ' (audit log)')));
    }
    if (!mayReadDeliveries) return h('span.muted', { text: 'Deliveries are visible to operators and admins only.' });
    return 'Loading…';
  }

  // ---- charts ----
  function renderCharts() {
    if (!canDeploy) return;
    let checks = [];
    if (state.series) {
      checks = checksFromSeries(state.series);
      setText(chartsNote, checks.length ? '' : 'No metric recorded for this deployment yet.');
    } else if (state.analysis) {
      checks = checksFromAnalysis(state.analysis);
      setText(chartsNote, 'The monitor\'s recent measurements (the full series is not available).');
    } else {
      setText(chartsNote, state.seriesMissing ? 'No watch for this deployment (yet).' : 'Loading metrics…');
    }
    board.update(checks);
  }

  // ---- data ----
  function isLive() {
    const dep = state.dep;
    if (!dep) return true;
    if (!TERMINAL.has(dep.status)) return true;
    return dep.finishedAt ? Date.now() - Date.parse(dep.finishedAt) < AFTER_FINISH_MS : false;
  }

  async function load(key, fn, after) {
    try {
      const value = await fn();
      clearError(key);
      after(value);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403 && key !== 'deployment') { after(undefined); return; }
      showError(e, key);
    }
  }

  let seriesEndpoint = true;
  async function refreshAll() {
    const jobs = [];
    if (canDeploy) {
      await load('deployment', () => api('/api/deploy/deployments/' + enc), dep => applyDeployment(dep, false));
      // the monitor opens its watch when it hears of the deployment: asking in the first seconds would only 404
      const watchExpected = state.dep && (Date.now() - Date.parse(state.dep.createdAt) > WATCH_GRACE_MS || TERMINAL.has(state.dep.status));
      if (watchExpected) jobs.push(load('analysis', () => apiOrNull('/api/monitor/deployments/' + enc + '/analysis'), a => { state.analysis = a; }));
      if (watchExpected && seriesEndpoint) {
        jobs.push(load('series', async () => {
          try {
            return await api('/api/monitor/deployments/' + enc + '/series');
          } catch (e) {
            if (e instanceof ApiError && e.status === 404) {
              state.seriesMissing = true;
              if (/matching target resource|not-found$/.test((e.problem.detail || '') + (e.problem.type || '')) && !/watch/.test(e.problem.type || '')) seriesEndpoint = false;
              return null;
            }
            throw e;
          }
        }, s => { state.series = s; }));
      }
      jobs.push(load('decisions', () => api('/api/rollback/decisions?deploymentId=' + enc), d => { state.decisions = d || { items: [] }; }));
      if (mayReadDeliveries) jobs.push(load('deliveries', () => api('/api/notifier/deliveries?deploymentId=' + enc + '&size=100'), d => { state.deliveries = d; }));
      const needsReport = !state.dep || TERMINAL.has(state.dep.status) || state.dep.status === 'ROLLING_BACK' ||
        (state.decisions && (state.decisions.items || []).some(x => x.action === 'ROLLBACK'));
      if (needsReport) jobs.push(load('report', () => apiOrNull('/api/deploy/deployments/' + enc + '/report'), r => { state.report = r; }));
    }
    if (isAuditor) {
      jobs.push(load('timeline', () => apiOrNull('/api/audit/audit/deployments/' + enc + '/timeline'), t => { state.timeline = t; renderTimeline(auditTimelineBox, t); }));
    }
    await Promise.all(jobs);
    renderCharts();
    renderDecision();
    return isLive();
  }

  // ---- audit (auditor) ----
  const auditTimelineBox = h('div');
  const auditVerifyBox = h('div');
  if (isAuditor) {
    fill(auditBox, h('div.audit-grid', h('div', h('h3', { text: 'Timeline' }), auditTimelineBox),
      h('div', h('h3', { text: 'Integrity' }), auditVerifyBox)));
    renderVerify(auditVerifyBox, ctx);
  }

  let stopPoll = poll(refreshAll, POLL_MS);
  ctx.onCleanup(() => stopPoll());
  function refreshSoon() {
    setTimeout(() => { refreshAll(); }, 500);
    if (isLive()) return;
    stopPoll();
    stopPoll = poll(refreshAll, POLL_MS);
  }

  // ---- live stream ----
  if (canDeploy) {
    const stream = followSse('/api/deploy/deployments/' + enc + '/events', {
      onOpen: () => { state.sseOpen = true; setText(connection, 'Live: following the deployment\'s events.'); clearError('stream'); },
      onEvent: (name, data) => {
        if (name !== 'deployment' && name !== 'message') return;
        try {
          applyDeployment(JSON.parse(data), true);
        } catch (e) {
          // not a deployment view: ignored
        }
      },
      onEnd: () => {
        state.sseOpen = false;
        const terminal = state.dep && TERMINAL.has(state.dep.status);
        setText(connection, terminal ? 'Finished: the live stream has ended.' : 'Live stream ended; reconnecting…');
        if (terminal) { addFeed('Live stream ended: the deployment is ' + state.dep.status, new Date().toISOString(), 'info'); refreshSoon(); }
        return !terminal;
      },
      onError: (e, fatal) => {
        state.sseOpen = false;
        if (fatal) { showError(e, 'stream'); setText(connection, 'Live stream unavailable; updating every few seconds.'); }
      },
      onRetry: delay => setText(connection, 'Live stream interrupted; reconnecting in ' + Math.round(delay / 1000) + ' s (updating every few seconds meanwhile).'),
    });
    ctx.onCleanup(() => stream.close());
  }
}

export function stepLabel(spec) {
  switch (spec.kind) {
    case 'SET_WEIGHT': return 'Set weight ' + (spec.weight ?? '?') + ' %';
    case 'ANALYSIS': return 'Analysis' + (typeof spec.duration === 'number' ? ' ' + fmtDuration(spec.duration * 1000) : '');
    case 'PAUSE': return typeof spec.duration === 'number' ? 'Pause ' + fmtDuration(spec.duration * 1000) : 'Approval gate';
    case 'SMOKE': return 'Smoke tests';
    default: return spec.kind || 'Step';
  }
}

function kv(k, v) {
  return h('div', h('dt', { text: k }), h('dd', v));
}

