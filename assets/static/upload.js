// The upload form sends its token in the Authorization header, the only place the server reads it
// (a token in a form field would be read only after the whole body; one in a URL ends up in logs).
// The token field itself is not sent; the server's answer (the verdicts page) replaces this page.
(function () {
  'use strict';
  // Delegated, so the form on the verdicts page that replaces this one works the same.
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches('form.upload')) { return; }
    ev.preventDefault();
    var tok = form.querySelector('input[name="token"]');
    var data = new FormData();
    var files = form.querySelector('input[name="files"]').files;
    for (var i = 0; i < files.length; i++) { data.append('files', files[i], files[i].name); }
    var btn = form.querySelector('button');
    if (btn) { btn.disabled = true; btn.textContent = '正在上传…'; }
    fetch(form.action, { method: 'POST', body: data, headers: { 'Authorization': 'Bearer ' + (tok ? tok.value : '') } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var main = document.querySelector('main');
        var got = doc.querySelector('main');
        if (main && got) { main.replaceWith(got); document.title = doc.title; }
      })
      .catch(function () {
        if (btn) { btn.disabled = false; btn.textContent = '上传并入库'; }
        alert('上传失败：网络中断或服务器无响应，请重试');
      });
  });
})();
