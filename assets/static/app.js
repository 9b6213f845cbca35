// Draws every chart on the page from its JSON option (a <script type="application/json"> written by the
// server). No inline script: the page's Content-Security-Policy allows only scripts served by lnvedash.
//
// Generic behaviours an option can ask for (set by the server's chart builders, charts/charts.go):
//   series[].lnveLink  URL template opened on click: {name} is the clicked item's name; {x}/{y} are
//                      series[].lnveX[value[0]] / lnveY[value[1]] (heatmap cells); data[].lnveLink wins.
//   tooltip.lnveTip    tooltip shows the item's name and data[].lnveTip, both escaped (encodeHTML).
// Every chart instance is kept on its element (el.lnveChart) so tests and tools can reach it.
(function () {
  'use strict';
  var mapReady = null;
  function needsMap(opt) {
    var s = [].concat(opt.series || []);
    return !!opt.geo || s.some(function (x) { return x && x.type === 'map'; });
  }
  function loadMap() {
    if (!mapReady) {
      mapReady = fetch('/static/vendor/liaoning.json').then(function (r) { return r.json(); })
        .then(function (geo) { echarts.registerMap('辽宁', geo); });
    }
    return mapReady;
  }

  function fill(tpl, vars) {
    return tpl.replace(/\{(name|x|y)\}/g, function (_, k) {
      var v = vars[k];
      return v === undefined || v === null ? '' : encodeURIComponent(String(v));
    });
  }

  // linkFor returns the URL a click on params should open, or '' for none.
  function linkFor(opt, params) {
    var series = [].concat(opt.series || [])[params.seriesIndex] || {};
    var data = params.data || {};
    var tpl = (data && typeof data === 'object' && data.lnveLink) || series.lnveLink;
    if (!tpl) { return ''; }
    var v = Array.isArray(params.value) ? params.value : (data && data.value);
    var vars = { name: params.name };
    if (Array.isArray(v)) {
      if (series.lnveX) { vars.x = series.lnveX[v[0]]; }
      if (series.lnveY) { vars.y = series.lnveY[v[1]]; }
    }
    if (tpl.indexOf('{name}') >= 0 && !params.name) { return ''; }
    return fill(tpl, vars);
  }

  function tipFormatter(params) {
    var enc = echarts.format.encodeHTML;
    var list = [].concat(params);
    return list.map(function (p) {
      var d = p.data || {};
      var text = (d && typeof d === 'object' && d.lnveTip) ? String(d.lnveTip) : (p.seriesName + '：' + p.value);
      return '<b>' + enc(String(p.name || '')) + '</b><br>' + enc(text).replace(/\n/g, '<br>');
    }).join('<br>');
  }

  function prepare(opt) {
    if (opt.tooltip && opt.tooltip.lnveTip) {
      opt.tooltip.formatter = tipFormatter;
    }
    [].concat(opt.series || []).forEach(function (s) {
      if (s && s.lnveLink) { s.cursor = 'pointer'; }
    });
    return opt;
  }

  function draw(el) {
    var id = el.getAttribute('data-chart');
    var src = document.getElementById(id + '-option');
    if (!src) { return; }
    var opt = prepare(JSON.parse(src.textContent));
    el.style.height = (parseInt(el.getAttribute('data-height'), 10) || 360) + 'px';
    var go = function () {
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(opt);
      el.lnveChart = chart;
      chart.on('click', function (params) {
        var url = linkFor(opt, params);
        if (url) { window.location.href = url; }
      });
      el.setAttribute('data-rendered', 'true');
      el.dispatchEvent(new CustomEvent('lnve:chart', { bubbles: true, detail: chart }));
      window.addEventListener('resize', function () { chart.resize(); });
    };
    if (needsMap(opt)) { loadMap().then(go); } else { go(); }
  }

  function copyText(sel, btn) {
    var box = document.querySelector(sel);
    if (!box) { return; }
    var done = function () {
      var old = btn.textContent;
      btn.textContent = '已复制';
      setTimeout(function () { btn.textContent = old; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(done, function () { box.select(); document.execCommand('copy'); done(); });
    } else {
      box.select();
      document.execCommand('copy');
      done();
    }
  }

  document.addEventListener('click', function (ev) {
    // (the chart PNG/SVG buttons are export.js's)
    var t = ev.target.closest('[data-copy]');
    if (!t) { return; }
    copyText(t.getAttribute('data-copy'), t);
  });

  // Filter forms submit on change, so a select works without a button (the button stays for no-JS).
  document.addEventListener('change', function (ev) {
    var f = ev.target.closest('form[data-autosubmit]');
    if (f) { f.submit(); }
  });

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-chart]').forEach(draw);
  });
})();
