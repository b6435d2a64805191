// Rollwatch console: sign-in, navigation and hash routing. Views live in ./views/.
import { h, fill, clear } from './dom.js';
import { api, session, ApiError } from './api.js';
import { showError, clearAllErrors } from './ui.js';
import { renderList } from './views/list.js';
import { renderDeployment } from './views/deployment.js';
import { renderPolicies } from './views/policies.js';
import { renderChannels } from './views/channels.js';
import { renderAudit } from './views/audit.js';

const view = () => document.getElementById('view');
let cleanups = [];

function runCleanups() {
  const list = cleanups;
  cleanups = [];
  for (const fn of list) {
    try { fn(); } catch (e) { /* a view's cleanup must not stop the next view */ }
  }
}

/** Parses location.hash: '#/deployments/<id>?x=y' → {parts: ['deployments', id], query: URLSearchParams}. */
function route() {
  const raw = location.hash.replace(/^#/, '');
  const [path, q] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, query: new URLSearchParams(q || '') };
}

function renderNav() {
  const nav = document.getElementById('nav');
  if (!session.me) { clear(nav); return; }
  const { parts } = route();
  const here = parts[0] || 'deployments';
  const links = [];
  const link = (key, label, testid) => h('a', { href: '#/' + key, 'data-testid': testid,
    'aria-current': here === key ? 'page' : undefined, text: label });
  if (session.hasRole('deployer', 'operator')) {
    links.push(link('deployments', 'Deployments', 'nav-deployments'));
    links.push(link('policies', 'Policies', 'nav-policies'));
  }
  if (session.hasRole('auditor')) links.push(link('audit', 'Audit', 'nav-audit'));
  if (session.hasRole('admin')) links.push(link('channels', 'Channels & routes', 'nav-channels'));
  fill(nav, h('ul', links.map(a => h('li', a))));
}

function renderSession() {
  const el = document.getElementById('session');
  if (session.me) {
    const me = session.me;
    const scope = me.services == null ? 'all services' : (me.services.length ? me.services.join(', ') : 'no service');
    const signOut = session.oidc
      ? h('a.button', { href: '/console/logout', 'data-testid': 'sign-out', text: 'Sign out' })
      : h('button', { type: 'button', 'data-testid': 'sign-out', text: 'Sign out', onclick: signOutLocal });
    fill(el, h('span.whoami', { 'data-testid': 'whoami', title: 'Services: ' + scope },
      h('span.subject', { text: me.subject }), ' · ',
      h('span.roles', { text: (me.roles || []).join(', ') || 'no role' })), signOut);
  } else if (session.oidc) {
    fill(el, h('a.button.primary', { href: '/console/login', 'data-testid': 'sign-in', text: 'Sign in' }));
  } else {
    clear(el);
  }
}

function signOutLocal() {
  session.token = null;
  session.me = null;
  renderSession();
  renderNav();
  location.hash = '#/';
  render();
}

function renderSignIn() {
  document.title = 'Sign in · Rollwatch';
  if (session.oidc) {
    fill(view(), h('section.card.signin', { 'aria-labelledby': 'signin-title' },
      h('h1', { id: 'signin-title', text: 'Sign in' }),
      h('p', 'Sign in with your organisation\'s identity provider.'),
      h('a.button.primary', { href: '/console/login', text: 'Sign in' })));
    return;
  }
  const input = h('textarea', { id: 'token-input', 'data-testid': 'token-input', rows: 5, required: true,
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'token-hint' });
  const form = h('form.signin-form', { novalidate: true },
    h('label', { for: 'token-input', text: 'Bearer token' }), input,
    h('p.muted', { id: 'token-hint' }, 'Paste a token (for the local stack: ', h('code', './rollwatch token --role operator'),
      '). It is kept in this tab only (sessionStorage) and sent as an Authorization header.'),
    h('div.button-row', h('button.primary', { type: 'submit', 'data-testid': 'sign-in', text: 'Sign in' })));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const token = input.value.trim().replace(/^Bearer\s+/i, '');
    if (!token) { input.focus(); return; }
    session.token = token;
    if (await loadMe(true)) {
      clearAllErrors();
      renderSession();
      renderNav();
      render();
    }
  });
  fill(view(), h('section.card.signin', { 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', text: 'Sign in to the Rollwatch console' }), form));
}

async function loadMe(reportErrors) {
  try {
    session.me = await api('/console/me');
    return true;
  } catch (e) {
    session.me = null;
    if (e instanceof ApiError && e.status === 401 && !session.oidc) session.token = null;
    if (reportErrors || !(e instanceof ApiError && e.status === 401)) showError(e, 'session');
    return false;
  }
}

function render() {
  runCleanups();
  clearAllErrors();
  renderNav();
  if (!session.me) { renderSignIn(); return; }
  const { parts, query } = route();
  const el = view();
  clear(el);
  const ctx = { el, query, onCleanup: fn => cleanups.push(fn), navigate: hash => { location.hash = hash; } };
  let [first, second] = parts;
  if (!first && !session.hasRole('deployer', 'operator')) {
    // the list is not for this role: start where it may look
    first = session.hasRole('auditor') ? 'audit' : session.hasRole('admin') ? 'channels' : 'deployments';
  }
  if (!first || first === 'deployments') {
    if (!second && !session.hasRole('deployer', 'operator')) {
      fill(el, h('h1', { text: 'Deployments' }), h('p.muted', { text: 'Deployments are visible to deployers and operators; your roles: '
        + ((session.me.roles || []).join(', ') || 'none') + '.' }));
      return;
    }
    if (second) renderDeployment(ctx, second);
    else renderList(ctx);
  } else if (first === 'policies') {
    renderPolicies(ctx);
  } else if (first === 'channels' || first === 'routes') {
    renderChannels(ctx);
  } else if (first === 'audit') {
    renderAudit(ctx, second);
  } else {
    document.title = 'Not found · Rollwatch';
    fill(el, h('h1', { text: 'Not found' }), h('p', 'No page at ', h('code', location.hash), '. ',
      h('a', { href: '#/deployments', text: 'Go to deployments' })));
  }
}

async function start() {
  document.getElementById('skip-link').addEventListener('click', ev => {
    ev.preventDefault();
    document.getElementById('main').focus();
  });
  try {
    const config = await api('/console/config');
    session.oidc = !!(config && config.oidc);
    session.version = (config && config.version) || '';
  } catch (e) {
    showError(e, 'config');
  }
  if (session.version) document.getElementById('version').textContent = 'Rollwatch console ' + session.version;
  if (session.oidc || session.token) await loadMe(false);
  renderSession();
  window.addEventListener('hashchange', () => {
    render();
    document.getElementById('main').focus({ preventScroll: true });
  });
  render();
}

start();
