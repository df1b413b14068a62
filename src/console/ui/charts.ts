/**
 * Chart.js, registered with only the parts the dashboard draws (bar charts, category and linear scales, legend,
 * tooltip), so esbuild tree-shakes the rest. Chart.js draws on a canvas and sets element styles through the CSSOM
 * only: it injects no <style> element, so the console's strict CSP (style-src 'self') holds.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif';
Chart.defaults.color = '#1b1f24';
Chart.defaults.animation = false;

export const COLORS = { clear: '#1e6b34', review: '#b36b00', block: '#a4161a', accent: '#1a4f8b', muted: '#7d8792' };

export interface Series {
  label: string;
  data: number[];
  color: string;
}

/** A bar chart in `canvas`; horizontal for ranked lists (long labels read better), stacked for outcomes. */
export function barChart(
  canvas: HTMLCanvasElement,
  labels: string[],
  series: Series[],
  opts: { horizontal?: boolean; stacked?: boolean } = {},
): Chart<'bar'> {
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color, borderWidth: 0 })),
    },
    options: {
      indexAxis: opts.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: series.length > 1, position: 'bottom' }, tooltip: { enabled: true } },
      scales: {
        x: {
          stacked: opts.stacked,
          ticks: { precision: 0, autoSkip: true, maxRotation: 0 },
          grid: { display: !opts.horizontal },
        },
        y: {
          stacked: opts.stacked,
          ticks: { precision: 0, autoSkip: !opts.horizontal },
          grid: { display: Boolean(opts.horizontal) === false },
        },
      },
    },
  };
  return new Chart(canvas, config);
}

/** Printing changes the page width: redraw every chart at its print size, and back afterwards. */
export function resizeOnPrint(charts: () => Chart[]): () => void {
  const resize = () => {
    for (const c of charts()) c.resize();
  };
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  return () => {
    window.removeEventListener('beforeprint', resize);
    window.removeEventListener('afterprint', resize);
  };
}

export type { Chart };
