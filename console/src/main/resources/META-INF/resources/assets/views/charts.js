// Metric charts with uPlot (global `uPlot` from the webjar): the values over time, the threshold as a dashed
// horizontal line (its own series) and every breach as a point series plus a vertical line drawn in a hook.
import { h, fill, setText, fmtValue, fmtClock, fmtTime, opSymbol, timeEl } from '../dom.js';

const COLORS = { value: '#1a56a8', threshold: '#b3261e', breach: '#b3261e', grid: '#d7dbe0', axis: '#3b4350' };
const HEIGHT = 220;

/** Series from /api/monitor/deployments/<id>/series → checks in one shape. */
export function checksFromSeries(series) {
  return (series && series.checks || []).map(c => ({
    name: c.name, metric: c.metric, unit: c.unit || null, operator: c.operator, threshold: c.threshold,
    min: c.min, max: c.max, points: c.points || [], breaches: c.breaches || [],
  }));
}

/**
 * Fallback while the series endpoint is not there: the analysis view's recent measurements per check and its
 * breaches (fewer points: the monitor keeps only the latest ones).
 */
export function checksFromAnalysis(analysis) {
  if (!analysis) return [];
  return (analysis.checks || []).map(c => {
    const upper = c.max !== null && c.max !== undefined;
    const breaches = (analysis.breaches || []).filter(b => b.check === c.name).map(b => ({
      t: b.observedAt, v: (b.observed || []).length ? b.observed[b.observed.length - 1] : null,
      severity: b.severity, episode: b.episode, recoveredAt: b.recoveredAt, operator: b.operator, threshold: b.threshold,
    }));
    const fromBreach = breaches.find(b => b.threshold !== undefined);
    return {
      name: c.name, metric: c.metric, unit: /rate|ratio/.test(c.metric || '') ? 'ratio' : null,
      operator: fromBreach ? fromBreach.operator : (upper ? '>' : '<'),
      threshold: fromBreach ? fromBreach.threshold : (upper ? c.max : c.min),
      min: c.min, max: c.max,
      points: (c.recent || []).map(m => ({ t: m.observedAt, v: m.value })), breaches,
    };
  });
}

const secs = iso => Date.parse(iso) / 1000;

function buildData(check) {
  const xs = new Set();
  const pts = new Map();
  for (const p of check.points) { const x = secs(p.t); if (Number.isFinite(x)) { xs.add(x); pts.set(x, p.v); } }
  const br = new Map();
  for (const b of check.breaches) { const x = secs(b.t); if (Number.isFinite(x)) { xs.add(x); br.set(x, b.v); } }
  const x = [...xs].sort((a, b) => a - b);
  const th = Number(check.threshold);
  return [
    x,
    x.map(t => (pts.has(t) ? pts.get(t) : null)),
    x.map(() => (Number.isFinite(th) ? th : null)),
    x.map(t => (br.has(t) ? br.get(t) : null)),
  ];
}

/** One chart; update() with a newer check, destroy() when leaving. */
export class MetricChart {
  constructor(check) {
    this.check = check;
    this.plotHolder = h('div.plot', { 'aria-hidden': 'true' });
    this.legend = h('ul.breach-list', { 'aria-label': 'Breaches of ' + check.name });
    this.caption = h('figcaption');
    this.summary = h('p.chart-summary');
    this.el = h('figure.metric-chart.card', {
      'data-testid': 'metric-chart', 'data-check': check.name, 'data-threshold': String(check.threshold),
    }, this.caption, this.summary, this.plotHolder, this.legend);
    this.plot = null;
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.el);
    this.render();
  }

  update(check) {
    this.check = check;
    this.render();
  }

  width() {
    return Math.max(240, Math.floor(this.el.clientWidth - 24));
  }

  resize() {
    if (!this.plot) return;
    const w = this.width();
    if (Math.abs(w - this.plot.width) > 2) this.plot.setSize({ width: w, height: HEIGHT });
  }

  render() {
    const c = this.check;
    const unit = c.unit;
    const op = opSymbol(c.operator);
    this.el.setAttribute('data-threshold', String(c.threshold));
    fill(this.caption, h('span.chart-title', { text: c.name }), ' ',
      h('span.muted', { text: (c.metric ? c.metric + ' · ' : '') + 'breach when ' + op + ' ' + fmtValue(c.threshold, unit) }));
    const values = c.points.filter(p => p.v !== null && p.v !== undefined);
    const last = values[values.length - 1];
    setText(this.summary, values.length
      ? values.length + ' measurements; latest ' + fmtValue(last.v, unit) + ' at ' + fmtClock(last.t) + ' UTC; threshold '
        + op + ' ' + fmtValue(c.threshold, unit) + '; ' + (c.breaches.length ? c.breaches.length + ' breach(es).' : 'no breach.')
      : 'No measurement yet.');

    const data = buildData(c);
    if (typeof window.uPlot !== 'function') {
      fill(this.plotHolder, h('p.muted', { text: 'Chart library not loaded (uPlot webjar missing).' }));
    } else if (!this.plot) {
      this.plot = new window.uPlot(this.options(), data, this.plotHolder);
    } else {
      this.plot.setData(data);
    }

    fill(this.legend, c.breaches.map(b => h('li', { 'data-testid': 'breach', 'data-check': c.name },
      h('span.breach-mark', { 'aria-hidden': 'true', text: '◆' }), ' ',
      h('strong', { text: (b.severity || 'Breach') + ' breach' }),
      b.episode ? ' (episode ' + b.episode + ')' : '', ' at ', timeEl(b.t, true), ' UTC: measured ',
      h('strong', { text: fmtValue(b.v, unit) }), ' ' + op + ' threshold ' + fmtValue(c.threshold, unit),
      b.recoveredAt ? ['; recovered at ', timeEl(b.recoveredAt, true), ' UTC'] : '')));
    if (c.breaches.length && this.plot) this.el.setAttribute('data-breached', 'true');
    else if (c.breaches.length && typeof window.uPlot !== 'function') this.el.setAttribute('data-breached', 'true');
    else this.el.removeAttribute('data-breached');
  }

  options() {
    const self = this;
    const unit = () => self.check.unit;
    const fmt = v => fmtValue(v, unit());
    return {
      width: this.width(),
      height: HEIGHT,
      tzDate: ts => window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      cursor: { drag: { x: true, y: false } },
      legend: { show: true, live: true },
      scales: {
        x: { time: true },
        y: {
          range: (u, dmin, dmax) => {
            const th = Number(self.check.threshold);
            const c = self.check;
            if (c.min != null && c.max != null) { dmin = Math.min(dmin ?? c.min, c.min); dmax = Math.max(dmax ?? c.max, c.max); }
            let lo = Math.min(0, Number.isFinite(dmin) ? dmin : 0, Number.isFinite(th) ? th : 0);
            let hi = Math.max(Number.isFinite(dmax) ? dmax : 0, Number.isFinite(th) ? th : 0);
            if (hi === lo) hi = lo + 1;
            return [lo, hi + (hi - lo) * 0.1];
          },
        },
      },
      axes: [
        { stroke: COLORS.axis, grid: { stroke: COLORS.grid }, ticks: { stroke: COLORS.grid },
          values: (u, splits) => {
            const span = splits.length > 1 ? splits[splits.length - 1] - splits[0] : 0;
            return splits.map(v => fmtClock(new Date(v * 1000).toISOString()).slice(0, span < 600 ? 8 : 5));
          } },
        { stroke: COLORS.axis, grid: { stroke: COLORS.grid }, ticks: { stroke: COLORS.grid }, size: 64,
          values: (u, vals) => vals.map(fmt) },
      ],
      series: [
        { value: (u, v) => (v == null ? '—' : fmtClock(new Date(v * 1000).toISOString()) + ' UTC') },
        { label: this.check.name, stroke: COLORS.value, width: 2, spanGaps: true, value: (u, v) => fmt(v),
          points: { show: true, size: 4 } },
        { label: 'threshold ' + opSymbol(this.check.operator) + ' ' + fmt(this.check.threshold), stroke: COLORS.threshold,
          width: 1.5, dash: [6, 4], spanGaps: true, points: { show: false }, value: (u, v) => fmt(v) },
        { label: 'breach', stroke: COLORS.breach, fill: COLORS.breach, width: 0, paths: () => null,
          points: { show: true, size: 11, width: 2, stroke: COLORS.breach, fill: '#ffffff' }, value: (u, v) => fmt(v) },
      ],
      hooks: {
        draw: [u => {
          // a vertical line at each breach's time
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = COLORS.breach;
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
          for (const b of self.check.breaches) {
            const x = u.valToPos(secs(b.t), 'x', true);
            if (!Number.isFinite(x)) continue;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
          }
          // a check with both bounds: the other one (the threshold series draws the first)
          const c = self.check;
          if (c.min != null && c.max != null) {
            const other = Number(c.threshold) === Number(c.max) ? c.min : c.max;
            const y = u.valToPos(other, 'y', true);
            if (Number.isFinite(y)) {
              ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
            }
          }
          ctx.restore();
        }],
      },
    };
  }

  destroy() {
    this.observer.disconnect();
    if (this.plot) this.plot.destroy();
    this.plot = null;
  }
}

/** Keeps one MetricChart per check in a container. */
export class ChartBoard {
  constructor(container) {
    this.container = container;
    this.charts = new Map();
  }

  update(checks) {
    const names = new Set(checks.map(c => c.name));
    for (const [name, chart] of this.charts) {
      if (!names.has(name)) { chart.destroy(); chart.el.remove(); this.charts.delete(name); }
    }
    for (const c of checks) {
      const existing = this.charts.get(c.name);
      if (existing) existing.update(c);
      else {
        const chart = new MetricChart(c);
        this.charts.set(c.name, chart);
        this.container.append(chart.el);
      }
    }
  }

  destroy() {
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
  }
}

