// Draws every <figure data-chart> of the page with Chart.js. Loaded only by dashboard pages (through Chart.astro).
// Palette: Okabe–Ito, distinguishable with the common colour-vision deficiencies; lines also differ by dash pattern.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type Plugin } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442', '#999999'];
const DASHES = [[], [6, 3], [2, 2], [10, 4, 2, 4], [4, 4], [12, 3], [1, 3], [8, 2, 2, 2], [3, 6]];

interface ChartConfig {
  type: 'bar' | 'line' | 'hbar' | 'stacked';
  percent: boolean;
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
}

/** Writes each bar's value at its end, so the figures are readable without hovering. */
const valueLabels: Plugin = {
  id: 'capacitaValueLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === 'y';
    const percent = (chart.options as { capacitaPercent?: boolean }).capacitaPercent;
    ctx.save();
    ctx.fillStyle = '#1b1f24';
    ctx.font = '12px system-ui, sans-serif';
    chart.data.datasets.forEach((dataset, d) => {
      const meta = chart.getDatasetMeta(d);
      if (meta.type !== 'bar' || meta.hidden || (chart.options.scales?.x as { stacked?: boolean })?.stacked) return;
      meta.data.forEach((element, i) => {
        const value = dataset.data[i] as number | null;
        if (value === null || value === undefined) return;
        const text = percent ? `${value.toLocaleString(document.documentElement.lang)} %` : value.toLocaleString(document.documentElement.lang);
        const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
        ctx.textAlign = horizontal ? 'left' : 'center';
        ctx.textBaseline = horizontal ? 'middle' : 'bottom';
        ctx.fillText(text, horizontal ? x + 4 : x, horizontal ? y : y - 2);
      });
    });
    ctx.restore();
  },
};

export function drawCharts(): void {
  for (const figure of document.querySelectorAll<HTMLElement>('figure[data-chart]')) {
    if (figure.dataset.drawn) continue;
    figure.dataset.drawn = '1';
    const config = JSON.parse(figure.dataset.chart!) as ChartConfig;
    const canvas = figure.querySelector('canvas')!;
    const line = config.type === 'line';
    const stacked = config.type === 'stacked';
    figure.hidden = false;
    new Chart(canvas, {
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
        indexAxis: config.type === 'hbar' ? 'y' : 'x',
        scales: { x: { stacked, beginAtZero: true }, y: { stacked, beginAtZero: true } },
        plugins: { legend: { display: config.datasets.length > 1, position: 'bottom' } },
        capacitaPercent: config.percent,
      } as never,
      plugins: [valueLabels],
    });
  }
}
