/* Numbers that explain themselves (numbers.py): Escape hides the description of the number under the pointer
   or with keyboard focus (WCAG 1.4.13, dismissible); it shows again when focus or the pointer comes back. */
(function () {
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll(".bbox-number:hover, .bbox-number:focus-within").forEach(function (number) {
      number.classList.add("bbox-dismissed");
    });
  });
  var numberOf = function (element) { return element && element.closest ? element.closest(".bbox-number") : null; };
  document.addEventListener("focusin", function (event) {
    var number = numberOf(event.target);
    if (number) { number.classList.remove("bbox-dismissed"); }
  });
  document.addEventListener("mouseover", function (event) {
    var number = numberOf(event.target);
    if (number && !number.contains(event.relatedTarget)) { number.classList.remove("bbox-dismissed"); }
  });
})();
