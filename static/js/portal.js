// Behaviour the site's pages share, wired here rather than in on…= attributes, which the
// Content-Security-Policy refuses (portal/settings/base.py). Every page works without it.
document.addEventListener("change", function (event) {
  // The language menu (templates/base.html) switches as soon as a language is picked.
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
document.addEventListener("click", function (event) {
  // "In trang" on the dashboards, "In phiếu" on the account sheet.
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
