// Notification channels and routes (admin only; read).
import { h, fill, timeEl } from '../dom.js';
import { api, session } from '../api.js';
import { showError, clearError, emptyNote } from '../ui.js';

export function renderChannels(ctx) {
  document.title = 'Channels & routes · Rollwatch';
  if (!session.hasRole('admin')) {
    fill(ctx.el, h('h1', { text: 'Channels & routes' }), emptyNote('Channels and routes are for admins; your roles do not include admin.'));
    return;
  }
  const channelsBody = h('tbody');
  const routesBody = h('tbody');
  fill(ctx.el, h('h1', { text: 'Channels & routes' }),
    h('section.card', { 'aria-labelledby': 'ch-title' }, h('h2', { id: 'ch-title', text: 'Channels' }),
      h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'Channels table' },
        h('table.data', { 'data-testid': 'channels' },
          h('thead', h('tr', ['Name', 'Type', 'URL', 'Secret', 'State', 'Built in', 'Updated'].map(t => h('th', { scope: 'col', text: t })))),
          channelsBody))),
    h('section.card', { 'aria-labelledby': 'rt-title' }, h('h2', { id: 'rt-title', text: 'Routes' }),
      h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'Routes table' },
        h('table.data', { 'data-testid': 'routes' },
          h('thead', h('tr', ['Name', 'Event type', 'Severity', 'Service', 'Environment', 'Channels', 'Built in'].map(t => h('th', { scope: 'col', text: t })))),
          routesBody))));

  (async () => {
    try {
      const [channels, routes] = await Promise.all([api('/api/notifier/channels'), api('/api/notifier/routes')]);
      clearError('channels');
      fill(channelsBody, channels.map(c => h('tr', { 'data-testid': 'channel', 'data-name': c.name },
        h('th', { scope: 'row', text: c.name }), h('td', { text: c.type }), h('td', { text: c.url || '—' }),
        h('td', { text: c.hasSecret ? 'set' : 'none' }),
        h('td', h('span', { 'aria-hidden': 'true', text: c.enabled ? '● ' : '○ ' }), c.enabled ? 'enabled' : 'disabled' + (c.disabledReason ? ': ' + c.disabledReason : '')),
        h('td', { text: c.builtin ? 'yes' : 'no' }), h('td', timeEl(c.updatedAt)))));
      fill(routesBody, routes.map(r => h('tr', { 'data-testid': 'route', 'data-name': r.name },
        h('th', { scope: 'row', text: r.name }), h('td', { text: r.eventType || 'any' }), h('td', { text: r.severity || 'any' }),
        h('td', { text: r.service || 'any' }), h('td', { text: r.environment || 'any' }),
        h('td', { text: (r.channels || []).join(', ') }), h('td', { text: r.builtin ? 'yes' : 'no' }))));
    } catch (e) {
      showError(e, 'channels');
    }
  })();
}
