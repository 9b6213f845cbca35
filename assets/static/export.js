// Exports from the dashboard pages, built from the data and the chart options, never from screenshots.
//
//   - Every chart's PNG (2x, for slides; a map at least MAP_PNG_WIDTH px wide, its labels are small), SVG
//     and PDF buttons ([data-export-png] / [data-export-svg] / [data-export-pdf]; the PDF is one page the
//     chart's size holding the PNG's pixels as JPEG, written here, so no PDF library or tool is needed): the
//     chart is drawn again in a hidden ECharts instance of the same size from the live instance's option
//     (app.js announces each instance with a bubbling `lnve:chart` event), with its title at the top and
//     the as-of date and data source at the bottom IN the image.
//   - Every <table data-export="NAME"> gets xlsx and CSV download links (/export/table/NAME.xlsx|.csv)
//     carrying the page's query string, so the download has the page's filters (plus the table's own
//     data-export-query="kind=school", if any); chart data links (/export/chart/NAME.xlsx) get the
//     query string too.
//
// decorate() is shared with the server: package chartsvg evaluates this file inside goja (no document
// there) so server-side SVGs (/export/chart/NAME.svg, the printable report) look the same.
(function (root) {
  'use strict';

  var TITLE_BAND = 36;  // px reserved at the top for the title
  var FOOTER_BAND = 22; // px reserved at the bottom for as-of date and source

  function px(v) {
    if (typeof v === 'number') { return v; }
    if (typeof v === 'string' && /^\d+(\.\d+)?(px)?$/.test(v)) { return parseFloat(v); }
    return null;
  }

  // shift moves a box component down by top and up by bottom where its position is in pixels
  // (percentages and keywords are left alone); defTop/defBottom are ECharts' defaults when unset.
  function shift(item, top, bottom, defTop, defBottom) {
    if (!item || typeof item !== 'object') { return item; }
    var o = Object.assign({}, item);
    var t = px(o.top);
    if (o.top === undefined || o.top === null) {
      if (defTop !== null && o.bottom === undefined) { o.top = defTop + top; }
    } else if (t !== null) {
      o.top = t + top;
    }
    var b = px(o.bottom);
    if (o.bottom === undefined || o.bottom === null) {
      if (defBottom !== null) { o.bottom = defBottom + bottom; }
    } else if (b !== null) {
      o.bottom = b + bottom;
    }
    return o;
  }

  function each(v, fn) {
    if (v === undefined || v === null) { return v; }
    return Array.isArray(v) ? v.map(fn) : fn(v);
  }

  // decorate returns a copy of an ECharts option with title and footer drawn into the chart area of
  // width x height: plotted components make room for them, so the image keeps the chart's size.
  function decorate(opt, width, height, title, footer) {
    var o = Object.assign({}, opt);
    var top = title ? TITLE_BAND : 0;
    var bottom = footer ? FOOTER_BAND : 0;
    o.grid = each(o.grid === undefined && o.xAxis ? {} : o.grid, function (g) { return shift(g, top, bottom, 60, 60); });
    o.legend = each(o.legend, function (l) { return shift(l, top, 0, 0, null); });
    o.visualMap = each(o.visualMap, function (v) { return shift(v, top, bottom, null, null); });
    o.series = each(o.series, function (s) {
      if (s && (s.type === 'map' || s.type === 'pie')) { return shift(s, top, bottom, 10, 10); }
      return s;
    });
    o.title = title ? [{
      text: title, left: 'center', top: 8,
      textStyle: { fontSize: 15, fontWeight: 'bold', color: '#1f2933', width: width - 32, overflow: 'truncate' }
    }] : [];
    var graphics = [];
    if (footer) {
      graphics.push({ type: 'text', right: 10, bottom: 5, silent: true,
        style: { text: footer, fontSize: 11, fill: '#4a5560' } });
    }
    o.graphic = graphics;
    if (!o.backgroundColor) { o.backgroundColor = '#fff'; }
    o.animation = false;
    return o;
  }

  var api = root.lnveExport = { decorate: decorate };
  if (typeof document === 'undefined') { return; } // inside the server's goja: only decorate

  var charts = {}; // element id → ECharts instance, from app.js's lnve:chart events
  document.addEventListener('lnve:chart', function (ev) {
    if (ev.target && ev.target.id) { charts[ev.target.id] = ev.detail; }
  });

  // footerText is the as-of date and source: <body data-as-of data-source> if present, else the page
  // footer's "数据截至 …" and "数据来源：…" parts.
  function footerText() {
    var b = document.body;
    if (b.getAttribute('data-as-of')) {
      return '数据截至 ' + b.getAttribute('data-as-of') + (b.getAttribute('data-source') ? ' · 来源：' + b.getAttribute('data-source') : '');
    }
    var f = document.querySelector('footer');
    if (!f) { return ''; }
    return f.textContent.split('·').map(function (s) { return s.trim(); }).filter(function (s) {
      return s.indexOf('数据截至') === 0 || s.indexOf('来源') >= 0;
    }).join(' · ');
  }

  function chartTitle(el) {
    return el.getAttribute('data-title') || (el.closest('figure') && el.closest('figure').querySelector('figcaption') || {}).textContent || el.id;
  }

  function baseOption(el) {
    var inst = charts[el.id] || el.lnveChart;
    if (inst && !inst.isDisposed()) { return inst.getOption(); }
    var src = document.getElementById(el.id + '-option');
    return src ? JSON.parse(src.textContent) : null;
  }

  function sizeOf(el) {
    return { w: el.clientWidth || 800, h: el.clientHeight || parseInt(el.getAttribute('data-height'), 10) || 360 };
  }

  var MAP_PNG_WIDTH = 2400;

  function isMap(opt) {
    return [].concat(opt.series || []).some(function (s) { return s && s.type === 'map'; });
  }

  // raster draws the chart into a hidden canvas instance and returns its data URL (type png or jpeg)
  // at twice its CSS size, a map at least MAP_PNG_WIDTH pixels wide.
  function raster(id, type) {
    var el = document.getElementById(id);
    var base = el && baseOption(el);
    if (!base) { return ''; }
    var sz = sizeOf(el);
    var ratio = isMap(base) ? Math.max(2, MAP_PNG_WIDTH / sz.w) : 2;
    var box = document.createElement('div');
    box.style.cssText = 'position:fixed;left:-30000px;top:0;width:' + sz.w + 'px;height:' + sz.h + 'px';
    document.body.appendChild(box);
    var tmp = echarts.init(box, null, { renderer: 'canvas', width: sz.w, height: sz.h });
    try {
      tmp.setOption(decorate(base, sz.w, sz.h, chartTitle(el), footerText()));
      return tmp.getDataURL({ type: type, pixelRatio: ratio, backgroundColor: '#fff' });
    } finally {
      tmp.dispose();
      box.remove();
    }
  }

  // png returns the chart as a PNG data URL.
  api.png = function (id) { return raster(id, 'png'); };

  // pdf returns the chart as a one-page PDF (bytes): the page is the chart's CSS size in points
  // (1 px = 0.75 pt), the picture the raster as JPEG (PDF's DCTDecode takes JPEG as is), the document
  // title the chart's title.
  api.pdf = function (id) {
    var el = document.getElementById(id);
    var url = raster(id, 'jpeg');
    if (!url) { return null; }
    var jpeg = atob(url.slice(url.indexOf(',') + 1));
    var sz = sizeOf(el);
    var dims = jpegSize(jpeg);
    var w = (sz.w * 0.75).toFixed(2), h = (sz.h * 0.75).toFixed(2);
    var title = '';
    chartTitle(el).split('').forEach(function (c) { title += ('0000' + c.charCodeAt(0).toString(16)).slice(-4); });
    var content = 'q ' + w + ' 0 0 ' + h + ' 0 0 cm /Im0 Do Q';
    var objs = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ' + w + ' ' + h + '] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>',
      '<< /Type /XObject /Subtype /Image /Width ' + dims[0] + ' /Height ' + dims[1] + ' /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ' + jpeg.length + ' >>\nstream\n' + jpeg + '\nendstream',
      '<< /Length ' + content.length + ' >>\nstream\n' + content + '\nendstream',
      '<< /Title <FEFF' + title + '> /Creator (lnvedash) >>'
    ];
    var out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', offsets = [];
    objs.forEach(function (o, i) {
      offsets.push(out.length);
      out += (i + 1) + ' 0 obj\n' + o + '\nendobj\n';
    });
    var xref = out.length;
    out += 'xref\n0 ' + (objs.length + 1) + '\n0000000000 65535 f \n';
    offsets.forEach(function (off) { out += ('0000000000' + off).slice(-10) + ' 00000 n \n'; });
    out += 'trailer\n<< /Size ' + (objs.length + 1) + ' /Root 1 0 R /Info 6 0 R >>\nstartxref\n' + xref + '\n%%EOF\n';
    var bytes = new Uint8Array(out.length);
    for (var i = 0; i < out.length; i++) { bytes[i] = out.charCodeAt(i) & 0xff; }
    return bytes;
  };

  // jpegSize reads width and height from a JPEG's start-of-frame marker (binary string).
  function jpegSize(s) {
    var i = 2;
    while (i < s.length) {
      var marker = s.charCodeAt(i + 1), len = s.charCodeAt(i + 2) * 256 + s.charCodeAt(i + 3);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return [s.charCodeAt(i + 7) * 256 + s.charCodeAt(i + 8), s.charCodeAt(i + 5) * 256 + s.charCodeAt(i + 6)];
      }
      i += 2 + len;
    }
    return [0, 0];
  }

  // svg returns the chart as an SVG document, drawn by ECharts' SVG renderer.
  api.svg = function (id) {
    var el = document.getElementById(id);
    var base = el && baseOption(el);
    if (!base) { return ''; }
    var sz = sizeOf(el);
    var ssr = echarts.init(null, null, { renderer: 'svg', ssr: true, width: sz.w, height: sz.h });
    try {
      ssr.setOption(decorate(base, sz.w, sz.h, chartTitle(el), footerText()));
      return ssr.renderToSVGString();
    } finally {
      ssr.dispose();
    }
  };

  function fileName(el, ext) {
    var name = chartTitle(el).replace(/[\\/:*?"<>|\s]+/g, '_');
    var m = footerText().match(/\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}/);
    return name + (m ? '_' + m[0] : '') + '.' + ext;
  }

  function download(name, href) {
    var a = document.createElement('a');
    a.href = href;
    a.download = name;
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // Capture phase on window: the export buttons are handled here and go no further.
  window.addEventListener('click', function (ev) {
    var t = ev.target.closest && ev.target.closest('[data-export-png],[data-export-svg],[data-export-pdf]');
    if (!t) { return; }
    ev.preventDefault();
    ev.stopPropagation();
    var png = t.hasAttribute('data-export-png'), pdf = t.hasAttribute('data-export-pdf');
    var id = t.getAttribute(png ? 'data-export-png' : pdf ? 'data-export-pdf' : 'data-export-svg');
    var el = document.getElementById(id);
    if (!el) { return; }
    if (png) {
      download(fileName(el, 'png'), api.png(id));
      return;
    }
    var blob = pdf ? new Blob([api.pdf(id)], { type: 'application/pdf' }) : new Blob([api.svg(id)], { type: 'image/svg+xml' });
    var url = URL.createObjectURL(blob);
    download(fileName(el, pdf ? 'pdf' : 'svg'), url);
    setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
  }, true);

  // tableQuery is the page's query string with the table's own data-export-query on top, e.g.
  // <table data-export="coverage_by_submitter" data-export-query="kind=school"> on the colleges page.
  function tableQuery(table) {
    var params = new URLSearchParams(window.location.search);
    var own = new URLSearchParams(table.getAttribute('data-export-query') || '');
    own.forEach(function (v, k) { params.set(k, v); });
    var s = params.toString();
    return s ? '?' + s : '';
  }

  function tableTools() {
    var qs = window.location.search || '';
    document.querySelectorAll('table[data-export]').forEach(function (table) {
      if (table.getAttribute('data-export-ready')) { return; }
      table.setAttribute('data-export-ready', 'true');
      var name = encodeURIComponent(table.getAttribute('data-export'));
      var tq = tableQuery(table);
      var bar = document.createElement('div');
      bar.className = 'export-tools';
      bar.style.cssText = 'text-align:right;font-size:12px;margin:4px 0';
      [['xlsx', '下载 xlsx'], ['csv', '下载 CSV']].forEach(function (f, i) {
        var a = document.createElement('a');
        a.href = '/export/table/' + name + '.' + f[0] + tq;
        a.textContent = f[1];
        a.setAttribute('data-export-link', f[0]);
        if (i) { bar.appendChild(document.createTextNode(' · ')); }
        bar.appendChild(a);
      });
      table.parentNode.insertBefore(bar, table);
    });
    document.querySelectorAll('a[href^="/export/chart/"]').forEach(function (a) {
      var href = a.getAttribute('href');
      if (qs && href.indexOf('?') < 0) { a.setAttribute('href', href + qs); }
    });
  }
  api.tableTools = tableTools; // for tables a page adds after load
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', tableTools);
  } else {
    tableTools();
  }
})(typeof globalThis !== 'undefined' ? globalThis : this);
