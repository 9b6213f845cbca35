// The upload forms send their token in a header, the only place the server reads it for an upload:
// the admin's token in Authorization, a unit's session CSRF token (/my) in X-CSRF-Token (a token in a
// form field would be read only after the whole body, which the server streams to disk; one in a URL
// ends up in logs). The token fields themselves are not sent; the server's answer (the verdicts page)
// replaces this page.
(function () {
  'use strict';
  // Delegated, so the form on the verdicts page that replaces this one works the same.
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches('form.upload')) { return; }
    ev.preventDefault();
    var tok = form.querySelector('input[name="token"]');
    var csrf = form.querySelector('input[name="_csrf"]');
    var data = new FormData();
    var files = form.querySelector('input[name="files"]').files;
    for (var i = 0; i < files.length; i++) { data.append('files', files[i], files[i].name); }
    var btn = form.querySelector('button');
    if (btn) { btn.disabled = true; btn.textContent = '正在上传…'; }
    var headers = {};
    if (tok) { headers['Authorization'] = 'Bearer ' + tok.value; }
    if (csrf) { headers['X-CSRF-Token'] = csrf.value; }
    fetch(form.action, { method: 'POST', body: data, headers: headers, credentials: 'same-origin' })
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
