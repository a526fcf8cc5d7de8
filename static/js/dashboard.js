// The dashboard works without JavaScript; this only wires the "In trang" button to the browser's print.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
