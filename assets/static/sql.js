// The analysts' SQL console (/sql): schema browser, examples, run (Ctrl+Enter), paged result table,
// quick chart, downloads (CSV / xlsx / Parquet) and a shareable link. Everything the server sends is put
// into the page with textContent, never as HTML. Stable ids for browser tests: #sql-editor, #sql-run,
// #sql-result table, #sql-rowcount, #sql-error, #sql-download-csv, #sql-download-xlsx,
// #sql-download-parquet, #sql-share, #sql-chart.
(function () {
  'use strict';
  var PAGE = 100;
  var state = { result: null, sql: '', page: 0, running: false };

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function token() {
    var t = $('sql-token');
    return t ? (t.value || sessionStorage.getItem('lnvedash_sql_token') || '') : '';
  }
  function headers() {
    var h = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    var t = token();
    if (t) { h.Authorization = 'Bearer ' + t; }
    return h;
  }

  function showError(msg) {
    var e = $('sql-error');
    e.textContent = msg;
    e.hidden = !msg;
  }

  function cellText(v) {
    if (v === null || v === undefined) { return 'NULL'; }
    if (typeof v === 'object') { return JSON.stringify(v); }
    return String(v);
  }

  // ---- schema browser and examples ----
  function insertAtCursor(text) {
    var ed = $('sql-editor');
    var s = ed.selectionStart, e = ed.selectionEnd;
    ed.value = ed.value.slice(0, s) + text + ed.value.slice(e);
    ed.selectionStart = ed.selectionEnd = s + text.length;
    ed.focus();
  }

  function renderSchema(info) {
    var box = $('sql-schema-list');
    box.textContent = '';
    (info.tables || []).forEach(function (t) {
      var d = el('details');
      var sum = el('summary');
      var name = el('code', 't-name', t.name);
      name.title = '插入表名';
      name.addEventListener('click', function (ev) { ev.preventDefault(); insertAtCursor(t.name); });
      sum.appendChild(name);
      sum.appendChild(el('span', 'muted', t.kind === 'view' ? ' 视图' : ' 表'));
      d.appendChild(sum);
      d.appendChild(el('div', 't-desc', t.description));
      var ul = el('ul');
      (t.columns || []).forEach(function (c) {
        var li = el('li');
        var cn = el('code', '', c.name);
        cn.title = '插入列名';
        cn.addEventListener('click', function () { insertAtCursor(c.name); });
        li.appendChild(cn);
        li.appendChild(el('span', 'c-type', c.type));
        if (c.description) { li.appendChild(el('div', 'muted', c.description)); }
        ul.appendChild(li);
      });
      d.appendChild(ul);
      box.appendChild(d);
    });
    var ex = $('sql-examples');
    ex.textContent = '';
    (info.examples || []).forEach(function (x) {
      var li = el('li');
      var a = el('a', '', x.title);
      a.href = '/sql?q=' + encodeURIComponent(x.sql);
      a.addEventListener('click', function (ev) {
        ev.preventDefault();
        $('sql-editor').value = x.sql;
        $('sql-editor').focus();
      });
      li.appendChild(a);
      ex.appendChild(li);
    });
  }

  function loadSchema() {
    fetch('/api/sql/schema', { headers: headers(), credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (x) {
        if (!x.ok) { $('sql-schema-list').textContent = x.j.error || '无法载入表结构'; return; }
        renderSchema(x.j);
      })
      .catch(function () { $('sql-schema-list').textContent = '无法载入表结构'; });
  }

  // ---- result table with client-side paging ----
  function renderPage() {
    var r = state.result, box = $('sql-result');
    box.textContent = '';
    if (!r) { return; }
    var table = el('table');
    var thead = el('thead'), tr = el('tr');
    r.columns.forEach(function (c, i) {
      var th = el('th', '', c);
      th.appendChild(el('small', '', r.types[i]));
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    var tbody = el('tbody');
    var from = state.page * PAGE, to = Math.min(r.rows.length, from + PAGE);
    for (var i = from; i < to; i++) {
      var row = el('tr');
      r.rows[i].forEach(function (v) {
        var td = el('td', v === null ? 'null' : (typeof v === 'number' ? 'n' : ''), cellText(v));
        row.appendChild(td);
      });
      tbody.appendChild(row);
    }
    table.appendChild(tbody);
    box.appendChild(table);
    var pages = Math.max(1, Math.ceil(r.rows.length / PAGE));
    $('sql-pager').hidden = pages <= 1;
    $('sql-page').textContent = '第 ' + (state.page + 1) + ' / ' + pages + ' 页';
    $('sql-prev').disabled = state.page === 0;
    $('sql-next').disabled = state.page >= pages - 1;
  }

  function setDownloads(on) {
    ['csv', 'xlsx', 'parquet'].forEach(function (f) { $('sql-download-' + f).disabled = !on; });
  }

  function fillChartColumns() {
    var r = state.result;
    ['sql-chart-x', 'sql-chart-y'].forEach(function (id, k) {
      var s = $(id);
      s.textContent = '';
      r.columns.forEach(function (c, i) {
        var o = el('option', '', c);
        o.value = String(i);
        s.appendChild(o);
      });
      if (k === 1) {
        var num = r.columns.findIndex(function (_, i) { return r.rows.length && typeof r.rows[0][i] === 'number'; });
        s.value = String(num >= 0 ? num : Math.min(1, r.columns.length - 1));
      }
    });
  }

  // clearResult empties the result area (table, pager, counts, downloads and the chart), so a failed
  // query never leaves the previous query's answer on screen as if it were this one's.
  function clearResult() {
    state.result = null;
    $('sql-rowcount').textContent = '';
    $('sql-elapsed').textContent = '';
    $('sql-result').textContent = '';
    $('sql-pager').hidden = true;
    setDownloads(false);
    if (chart) { chart.dispose(); chart = null; }
    $('sql-chart').lnveChart = null;
    $('sql-chart').textContent = '';
    ['sql-chart-x', 'sql-chart-y'].forEach(function (id) { $(id).textContent = ''; });
  }

  function run() {
    if (state.running) { return; }
    var sql = $('sql-editor').value;
    if (!sql.trim()) { showError('请输入 SQL'); return; }
    state.running = true;
    $('sql-run').disabled = true;
    clearResult();
    $('sql-rowcount').textContent = '运行中…';
    showError('');
    fetch('/api/sql', { method: 'POST', headers: headers(), credentials: 'same-origin',
      body: JSON.stringify({ sql: sql, format: 'json' }) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (x) {
        if (!x.ok) {
          clearResult();
          showError(x.j.error || '查询失败');
          return;
        }
        state.result = x.j;
        state.sql = sql;
        state.page = 0;
        $('sql-rowcount').textContent = '共 ' + x.j.row_count + ' 行' +
          (x.j.truncated ? '（已达行数上限，结果已截断；下载的文件同样只含这些行）' : '');
        $('sql-elapsed').textContent = '用时 ' + x.j.elapsed_ms + ' ms';
        renderPage();
        setDownloads(x.j.columns.length > 0);
        fillChartColumns();
      })
      .catch(function () { clearResult(); showError('无法连接服务器'); })
      .then(function () { state.running = false; $('sql-run').disabled = false; });
  }

  function download(format) {
    var sql = state.sql || $('sql-editor').value;
    showError('');
    fetch('/api/sql', { method: 'POST', headers: headers(), credentials: 'same-origin',
      body: JSON.stringify({ sql: sql, format: format }) })
      .then(function (r) {
        if (!r.ok) { return r.json().then(function (j) { throw new Error(j.error || '下载失败'); }); }
        var cd = r.headers.get('Content-Disposition') || '';
        var m = /filename="([^"]+)"/.exec(cd);
        return r.blob().then(function (b) { return { blob: b, name: m ? m[1] : 'query.' + format }; });
      })
      .then(function (x) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(x.blob);
        a.download = x.name;
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      })
      .catch(function (e) { showError(e.message); });
  }

  function share() {
    var url = location.origin + '/sql?q=' + encodeURIComponent($('sql-editor').value);
    history.replaceState(null, '', url);
    var box = $('sql-share-url');
    box.value = url;
    box.hidden = false;
    box.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(url).catch(function () {}); }
  }

  var chart = null;
  function drawChart() {
    var r = state.result;
    if (!r || !r.rows.length || typeof echarts === 'undefined') { return; }
    var xi = +$('sql-chart-x').value, yi = +$('sql-chart-y').value, type = $('sql-chart-type').value;
    var rows = r.rows.slice(0, 2000);
    var names = rows.map(function (row) { return cellText(row[xi]); });
    var vals = rows.map(function (row) { var v = Number(row[yi]); return isFinite(v) ? v : null; });
    var opt;
    if (type === 'pie') {
      opt = { tooltip: { trigger: 'item' }, legend: { type: 'scroll', bottom: 0 },
        series: [{ type: 'pie', radius: '60%', name: r.columns[yi],
          data: names.map(function (n, i) { return { name: n, value: vals[i] }; }) }] };
    } else {
      opt = { tooltip: { trigger: 'axis' }, grid: { left: 60, right: 20, bottom: 80 },
        xAxis: { type: 'category', data: names, axisLabel: { rotate: names.length > 8 ? 40 : 0 } },
        yAxis: { type: 'value', name: r.columns[yi] },
        series: [{ type: type, name: r.columns[yi], data: vals }] };
    }
    if (chart) { chart.dispose(); }
    chart = echarts.init($('sql-chart'));
    $('sql-chart').lnveChart = chart;
    chart.setOption(opt);
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (!$('sql-editor')) { return; }
    var t = $('sql-token');
    if (t) {
      t.value = sessionStorage.getItem('lnvedash_sql_token') || '';
      $('sql-token-save').addEventListener('click', function () {
        sessionStorage.setItem('lnvedash_sql_token', t.value);
        loadSchema();
      });
    }
    loadSchema();
    $('sql-run').addEventListener('click', run);
    $('sql-editor').addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); }
    });
    $('sql-share').addEventListener('click', share);
    ['csv', 'xlsx', 'parquet'].forEach(function (f) {
      $('sql-download-' + f).addEventListener('click', function () { download(f); });
    });
    $('sql-prev').addEventListener('click', function () { state.page--; renderPage(); });
    $('sql-next').addEventListener('click', function () { state.page++; renderPage(); });
    $('sql-chart-draw').addEventListener('click', drawChart);
    window.addEventListener('resize', function () { if (chart) { chart.resize(); } });
  });
})();
