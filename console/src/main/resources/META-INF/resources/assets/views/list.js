// The deployments list: filters (kept in the URL), rows updated in place every 2 s while the tab is visible.
import { h, fill, setText, statusBadge, updateBadge, timeEl, fmtTime } from '../dom.js';
import { api, poll } from '../api.js';
import { showError, clearError } from '../ui.js';

const STATUSES = ['PENDING', 'RUNNING', 'AWAITING_APPROVAL', 'PAUSED', 'SUCCEEDED', 'ROLLING_BACK', 'ROLLED_BACK',
  'ROLLBACK_FAILED', 'ABORTED', 'FAILED'];
const POLL_MS = 2000;

export function renderList(ctx) {
  document.title = 'Deployments · Rollwatch';
  const filters = {
    service: ctx.query.get('service') || '',
    environment: ctx.query.get('environment') || '',
    status: ctx.query.get('status') || '',
  };
  const services = new Set();
  const environments = new Set();

  const serviceInput = h('input', { id: 'filter-service', 'data-testid': 'filter-service', type: 'search',
    list: 'known-services', autocomplete: 'off', value: filters.service, placeholder: 'any' });
  const envInput = h('input', { id: 'filter-environment', 'data-testid': 'filter-environment', type: 'search',
    list: 'known-environments', autocomplete: 'off', value: filters.environment, placeholder: 'any' });
  const statusSelect = h('select', { id: 'filter-status', 'data-testid': 'filter-status' },
    h('option', { value: '', text: 'Any status' }),
    STATUSES.map(s => h('option', { value: s, text: s, selected: s === filters.status || undefined })));
  const serviceList = h('datalist', { id: 'known-services' });
  const envList = h('datalist', { id: 'known-environments' });

  const form = h('form.filters', { role: 'search', 'aria-label': 'Filter deployments' },
    h('div.field', h('label', { for: 'filter-service', text: 'Service' }), serviceInput, serviceList),
    h('div.field', h('label', { for: 'filter-environment', text: 'Environment' }), envInput, envList),
    h('div.field', h('label', { for: 'filter-status', text: 'Status' }), statusSelect),
    h('div.field.field-button', h('button', { type: 'reset', text: 'Clear filters' })));

  const tbody = h('tbody');
  const summary = h('p.muted.list-summary', { id: 'list-summary' });
  const live = h('span.live-dot', { title: 'Updating live' });
  const table = h('table.data.deployments', { 'aria-describedby': 'list-summary' },
    h('caption.sr-only', { text: 'Deployments, newest first, updated live' }),
    h('thead', h('tr', ['Status', 'Service', 'Environment', 'Version', 'Step · weight', 'Requested by', 'Created',
      'Finished'].map(t => h('th', { scope: 'col', text: t })))),
    tbody);

  fill(ctx.el,
    h('div.page-head', h('h1', { text: 'Deployments' }), h('p.live-note', live, ' live')),
    form, summary, h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'Deployments table' }, table));

  const rows = new Map(); // id → {tr, cells}
  let generation = 0;

  function syncUrl() {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    const hash = '#/deployments' + (q.toString() ? '?' + q : '');
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  let debounce = null;
  function changed() {
    filters.service = serviceInput.value.trim();
    filters.environment = envInput.value.trim();
    filters.status = statusSelect.value;
    syncUrl();
    clearTimeout(debounce);
    debounce = setTimeout(() => { generation++; refresh(); }, 250);
  }
  serviceInput.addEventListener('input', changed);
  envInput.addEventListener('input', changed);
  statusSelect.addEventListener('change', changed);
  form.addEventListener('submit', ev => { ev.preventDefault(); changed(); });
  form.addEventListener('reset', () => setTimeout(changed, 0));

  function rowFor(item) {
    let row = rows.get(item.id);
    if (!row) {
      const badge = statusBadge(item.status, 'status');
      const link = h('a', { href: '#/deployments/' + encodeURIComponent(item.id) });
      const cells = {
        badge, link,
        environment: h('td'), version: h('td'), step: h('td.num'), requestedBy: h('td'), created: h('td'),
        finished: h('td'),
      };
      const tr = h('tr', { 'data-testid': 'deployment-row', 'data-id': item.id },
        h('td', badge), h('th', { scope: 'row' }, link), cells.environment, cells.version, cells.step,
        cells.requestedBy, cells.created, cells.finished);
      row = { tr, cells };
      rows.set(item.id, row);
    }
    const c = row.cells;
    row.tr.setAttribute('data-status', item.status);
    updateBadge(c.badge, item.status);
    setText(c.link, item.service);
    c.link.setAttribute('aria-label', item.service + ' ' + item.version + ' in ' + item.environment + ', ' + item.status);
    setText(c.environment, item.environment);
    setText(c.version, item.version);
    setText(c.step, 'step ' + (item.currentStep + 1) + ' · ' + item.currentWeight + ' %');
    setText(c.requestedBy, item.requestedBy || '—');
    if (c.created.dataset.t !== item.createdAt) { fill(c.created, timeEl(item.createdAt)); c.created.dataset.t = item.createdAt; }
    const fin = item.finishedAt || '';
    if (c.finished.dataset.t !== fin) { fill(c.finished, item.finishedAt ? timeEl(item.finishedAt) : '—'); c.finished.dataset.t = fin; }
    return row.tr;
  }

  async function refresh() {
    const mine = generation;
    const q = new URLSearchParams({ size: '50' });
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    let page;
    try {
      page = await api('/api/deploy/deployments?' + q);
      clearError('list');
    } catch (e) {
      showError(e, 'list');
      return;
    }
    if (mine !== generation) return; // filters changed meanwhile: a newer refresh follows
    const seen = new Set();
    const ordered = page.items.map(item => { seen.add(item.id); return rowFor(item); });
    for (const [id, row] of rows) {
      if (!seen.has(id)) { row.tr.remove(); rows.delete(id); }
    }
    const current = [...tbody.children].filter(tr => tr.dataset.testid === 'deployment-row');
    const sameOrder = current.length === ordered.length && current.every((tr, i) => tr === ordered[i]);
    if (!sameOrder) {
      const empty = tbody.querySelector('.empty-row');
      if (empty) empty.remove();
      ordered.forEach(tr => tbody.append(tr));
    }
    if (!ordered.length && !tbody.querySelector('.empty-row')) {
      tbody.append(h('tr.empty-row', h('td', { colspan: 8, text: 'No deployment matches these filters.' })));
    } else if (ordered.length) {
      const empty = tbody.querySelector('.empty-row');
      if (empty) empty.remove();
    }
    page.items.forEach(i => { services.add(i.service); environments.add(i.environment); });
    syncDatalist(serviceList, services);
    syncDatalist(envList, environments);
    setText(summary, page.total > page.items.length
      ? 'Showing the newest ' + page.items.length + ' of ' + page.total + ' deployments. Updated ' + fmtTime(new Date().toISOString()) + '.'
      : page.total + (page.total === 1 ? ' deployment' : ' deployments') + '. Updated ' + fmtTime(new Date().toISOString()) + '.');
  }

  ctx.onCleanup(poll(refresh, POLL_MS));
  ctx.onCleanup(() => clearTimeout(debounce));
}

function syncDatalist(list, values) {
  if (list.childElementCount === values.size) return;
  fill(list, [...values].sort().map(v => h('option', { value: v })));
}
