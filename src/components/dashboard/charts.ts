// Draws every <figure data-chart> of the page with Chart.js. Loaded only by dashboard pages (through Chart.astro).
// Palette: Okabe–Ito, distinguishable with the common colour-vision deficiencies; lines also differ by dash pattern.
import type { Locale } from '../../../db/schema.ts';
import { formatNumber, type NumberKind } from '../../i18n/format.ts';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type Plugin } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442', '#999999'];
const DASHES = [[], [6, 3], [2, 2], [10, 4, 2, 4], [4, 4], [12, 3], [1, 3], [8, 2, 2, 2], [3, 6]];

interface ChartConfig {
  type: 'bar' | 'line' | 'hbar' | 'stacked';
  /** Shares plotted as points 0–100: the value axis is then always 0–100 % (0.8 % is a sliver, not a full bar). */
  percent: boolean;
  locale: Locale;
  labels: string[];
  datasets: { label: string; kind: NumberKind; data: (number | null)[] }[];
}

type Options = { capacitaConfig?: ChartConfig };
const configOf = (chart: Chart) => (chart.options as Options).capacitaConfig!;

/** The same words as the table beside the chart (src/i18n/format.ts): "0.7 %", "1,234". */
const valueText = (config: ChartConfig, d: number, value: number) =>
  formatNumber(config.locale, value, config.datasets[d]!.kind, { points: config.percent });

/**
 * Writes each bar's value at its end, so the figures are readable without hovering — only where it fits: grouped bars
 * on a phone are narrower than their figures, and overlapping numbers read as nothing (the table has them all).
 */
const valueLabels: Plugin = {
  id: 'capacitaValueLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const config = configOf(chart);
    const horizontal = chart.options.indexAxis === 'y';
    ctx.save();
    ctx.fillStyle = '#1b1f24';
    ctx.font = '12px system-ui, sans-serif';
    chart.data.datasets.forEach((dataset, d) => {
      const meta = chart.getDatasetMeta(d);
      if (meta.type !== 'bar' || meta.hidden || (chart.options.scales?.x as { stacked?: boolean })?.stacked) return;
      meta.data.forEach((element, i) => {
        const value = dataset.data[i] as number | null;
        if (value === null || value === undefined) return;
        const text = valueText(config, d, value);
        const { x, y, width, height } = element.getProps(['x', 'y', 'width', 'height'], true) as { x: number; y: number; width: number; height: number };
        const room = horizontal ? Math.abs(height) >= 12 && x + 4 + ctx.measureText(text).width <= chart.width : ctx.measureText(text).width <= Math.abs(width) + 6;
        if (!room) return;
        ctx.textAlign = horizontal ? 'left' : 'center';
        ctx.textBaseline = horizontal ? 'middle' : 'bottom';
        ctx.fillText(text, horizontal ? x + 4 : x, horizontal ? y : y - 2);
      });
    });
    ctx.restore();
  },
};

/** Long names (institutions, courses) over several short lines instead of a cut word or an axis wider than the bars. */
function wrap(label: string, width: number): string | string[] {
  if (label.length <= width) return label;
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length > 3 ? [...lines.slice(0, 2), `${lines.slice(2).join(' ').slice(0, width - 1)}…`] : lines;
}

export function drawCharts(): void {
  for (const figure of document.querySelectorAll<HTMLElement>('figure[data-chart]')) {
    if (figure.dataset.drawn) continue;
    figure.dataset.drawn = '1';
    const config = JSON.parse(figure.dataset.chart!) as ChartConfig;
    const canvas = figure.querySelector('canvas')!;
    const box = canvas.parentElement!;
    const line = config.type === 'line';
    const stacked = config.type === 'stacked';
    const horizontal = config.type === 'hbar';
    const narrow = box.clientWidth < 600;
    // A horizontal bar chart grows with its rows (and their wrapped names) rather than squeezing them together.
    if (horizontal) box.style.height = `${Math.max(16, 3 + config.labels.length * config.datasets.length * (narrow ? 2.6 : 1.9))}rem`;
    figure.hidden = false;
    const percentAxis = {
      min: 0,
      max: 100,
      ticks: { stepSize: 20, callback: (v: number | string) => `${formatNumber(config.locale, Number(v), 'count')} %` },
    };
    const valueAxis = config.percent ? { stacked, beginAtZero: true, ...percentAxis } : { stacked, beginAtZero: true, ticks: { callback: (v: number | string) => formatNumber(config.locale, Number(v), 'number') } };
    const categoryAxis = {
      stacked,
      // Under bars on a phone the names turn on their side: wrapped as well, two-line names would run into each other.
      ticks: {
        autoSkip: false,
        callback(this: { getLabelForValue(v: number): string }, v: number | string) {
          const label = this.getLabelForValue(Number(v));
          return horizontal ? wrap(label, narrow ? 16 : 28) : narrow ? label : wrap(label, 16);
        },
      },
    };
    const chart = new Chart(canvas, {
      type: line ? 'line' : 'bar',
      data: {
        labels: config.labels,
        datasets: config.datasets.map((d, i) => ({
          label: d.label,
          data: d.data,
          backgroundColor: PALETTE[i % PALETTE.length],
          borderColor: PALETTE[i % PALETTE.length],
          borderDash: line ? DASHES[i % DASHES.length] : undefined,
          borderWidth: line ? 2 : 0,
          pointRadius: line ? 2 : undefined,
          spanGaps: false,
        })),
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? 'y' : 'x',
        // Room for the value written past the end of the longest bar.
        layout: { padding: horizontal ? { right: 56 } : { top: 18 } },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: config.datasets.length > 1, position: 'bottom' },
          tooltip: { callbacks: { label: (item: { datasetIndex: number; raw: unknown; dataset: { label?: string } }) => `${item.dataset.label ?? ''}: ${valueText(config, item.datasetIndex, Number(item.raw))}` } },
        },
        capacitaConfig: config,
      } as never,
      plugins: [valueLabels],
    });
    // What was drawn, for tests and for anyone inspecting the page: the value axis's range and its tick labels.
    const scale = chart.scales[horizontal ? 'x' : 'y']!;
    figure.dataset.valueAxis = JSON.stringify({ min: scale.min, max: scale.max, ticks: scale.ticks.map((t) => String(t.label)) });
  }
}
