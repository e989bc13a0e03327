/* Draws the dashboard's charts from the JSON the page embeds (#chart-data), with Chart.js.
   Large fonts and thick bars: the page is shown on projectors in meetings. */
(function () {
  "use strict";
  const el = document.getElementById("chart-data");
  if (!el || typeof Chart === "undefined") return;
  const data = JSON.parse(el.textContent);
  const MALE = "#1f5fa8", FEMALE = "#c2185b", BAR = "#8b1a1a";
  // Numbers as everywhere in the interface: a dot between thousands, a comma before decimals.
  const nf = new Intl.NumberFormat("vi-VN");
  const pf = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

  Chart.defaults.locale = "vi-VN"; // axis ticks and default tooltips
  Chart.defaults.font.size = 16;
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
  Chart.defaults.color = "#212529";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 18;
  Chart.defaults.plugins.tooltip.bodyFont = { size: 16 };
  Chart.defaults.plugins.tooltip.titleFont = { size: 16 };

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  }

  // Age pyramid: men to the left (negative values drawn, absolute values shown).
  const p = data.pyramid;
  const widest = Math.max(1, ...p.male, ...p.female);
  draw("chart-pyramid", {
    type: "bar",
    data: {
      labels: p.labels,
      datasets: [
        { label: data.sexes[0], data: p.male.map((v) => -v), backgroundColor: MALE },
        { label: data.sexes[1], data: p.female, backgroundColor: FEMALE },
      ],
    },
    options: {
      indexAxis: "y",
      scales: {
        // Symmetric, so the two sides compare at a glance.
        x: { stacked: true, suggestedMin: -widest, suggestedMax: widest, ticks: { callback: (v) => nf.format(Math.abs(v)) } },
        y: { stacked: true },
      },
      plugins: {
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${nf.format(Math.abs(c.raw))}` } },
      },
    },
  });

  const r = data.retirement;
  draw("chart-retirement", {
    type: "bar",
    data: {
      labels: r.labels,
      datasets: [
        { label: data.sexes[0], data: r.male, backgroundColor: MALE },
        { label: data.sexes[1], data: r.female, backgroundColor: FEMALE },
      ],
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });

  for (const key of ["political_theory", "state_management", "degree"]) {
    const s = data[key];
    draw(`chart-${key}`, {
      type: "bar",
      data: { labels: s.labels, datasets: [{ data: s.values, backgroundColor: BAR }] },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  const u = data.subunits;
  const colours = ["#c2185b", "#2e7d32", "#66bb6a", "#f9a825", "#1f5fa8"];
  draw("chart-subunits", {
    type: "bar",
    data: {
      labels: u.labels,
      datasets: u.datasets.map((d, i) => ({ label: d.label, data: d.values, backgroundColor: colours[i % colours.length] })),
    },
    options: {
      indexAxis: "y",
      scales: { x: { beginAtZero: true, max: 100, ticks: { callback: (v) => `${v}%` } } },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.raw === null ? "—" : pf.format(c.raw) + "%"}` } } },
    },
  });
  // A chart drawn inside a hidden collapse has no size: redraw it when shown.
  document.querySelectorAll(".collapse").forEach((box) =>
    box.addEventListener("shown.bs.collapse", () => {
      box.querySelectorAll("canvas").forEach((c) => Chart.getChart(c)?.resize());
    })
  );
})();
