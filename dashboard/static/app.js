// Draws every chart on the page from its JSON option (a <script type="application/json"> written by the
// server). No inline script: the page's Content-Security-Policy allows only scripts served by lnvedash.
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
  function draw(el) {
    var id = el.getAttribute('data-chart');
    var src = document.getElementById(id + '-option');
    if (!src) { return; }
    var opt = JSON.parse(src.textContent);
    el.style.height = (parseInt(el.getAttribute('data-height'), 10) || 360) + 'px';
    var go = function () {
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(opt);
      el.dispatchEvent(new CustomEvent('lnve:chart', { bubbles: true, detail: chart }));
      window.addEventListener('resize', function () { chart.resize(); });
    };
    if (needsMap(opt)) { loadMap().then(go); } else { go(); }
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-chart]').forEach(draw);
  });
})();
