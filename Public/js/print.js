// Buttons marked data-print open the browser's print dialog (no inline handlers: the pages' CSP forbids them).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) { event.preventDefault(); window.print(); }
});
