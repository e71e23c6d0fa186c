// Draws the performance charts from the page's JSON data block with Chart.js (served at
// /ops/assets/chart.umd.min.js from the chart.js package). No inline script: the CSP forbids it.
(function () {
  'use strict';
  var block = document.getElementById('performance-data');
  var Chart = window.Chart;
  if (!block || !Chart) return;
  var data = JSON.parse(block.textContent || '{}');
  var pick = function (series, name) { return series.map(function (p) { return p[name]; }); };
  var line = function (label, values, color) { return { label: label, data: values, borderColor: color, backgroundColor: color, tension: 0.2, spanGaps: true }; };
  var configs = {
    calls: function (s) { return { type: 'bar', data: { labels: pick(s, 'label'), datasets: [line('Calls', pick(s, 'calls'), '#1f5fa8')] } }; },
    errors: function (s) { return { type: 'line', data: { labels: pick(s, 'label'), datasets: [line('All failures %', pick(s, 'errorRate'), '#c27c0e'), line('Technical (5xx) %', pick(s, 'technicalErrorRate'), '#b3261e')] } }; },
    percentiles: function (s) { return { type: 'line', data: { labels: pick(s, 'label'), datasets: [line('p50 ms', pick(s, 'p50Ms'), '#2e7d32'), line('p95 ms', pick(s, 'p95Ms'), '#c27c0e'), line('p99 ms', pick(s, 'p99Ms'), '#b3261e')] }, options: { scales: { y: { beginAtZero: true } } } }; },
    latency: function (s) { return { type: 'line', data: { labels: pick(s, 'label'), datasets: [line('Mean ms', pick(s, 'meanMs'), '#1f5fa8'), line('Slowest ms', pick(s, 'maxMs'), '#b3261e'), line('Fastest ms', pick(s, 'minMs'), '#2e7d32'), line('Mean to first byte ms', pick(s, 'meanTtfbMs'), '#6a1b9a')] } }; },
    availability: function (s) { return { type: 'line', data: { labels: pick(s, 'label'), datasets: [line('Availability %', pick(s, 'availability'), '#2e7d32')] }, options: { scales: { y: { min: 0, max: 100 } } } }; },
    daily: function (s) { return { type: 'bar', data: { labels: pick(s, 'label'), datasets: [line('Calls', pick(s, 'calls'), '#1f5fa8'), line('Failures %', pick(s, 'errorRate'), '#b3261e')] } }; },
  };
  document.querySelectorAll('canvas[data-series]').forEach(function (canvas) {
    var series = data[canvas.getAttribute('data-series')] || [];
    var config = configs[canvas.getAttribute('data-kind')](series);
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options || {});
    new Chart(canvas, config);
    canvas.setAttribute('data-points', String(series.length));
  });
})();
