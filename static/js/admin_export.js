// The admin's export page (templates/admin/portal/export.html): "Chọn tất cả" ticks or clears
// every column. In place of django-import-export's inline onchange, which the
// Content-Security-Policy refuses.
document.addEventListener("change", function (event) {
  if (!event.target.matches("input.select-toggle")) {
    return;
  }
  document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach(function (box) {
    box.checked = event.target.checked;
  });
});
