// A table wider than the screen scrolls inside its DSFR frame (pvd.css): that frame must be
// reachable with the keyboard to scroll it (RGAA 7.3, axe "scrollable-region-focusable").
// Only frames that actually scroll get a tab stop, re-checked when the window is resized.
(function () {
  "use strict";
  function update() {
    document.querySelectorAll(".fr-table__container").forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth + 1) {
        frame.setAttribute("tabindex", "0");
      } else if (frame.getAttribute("tabindex") === "0") {
        frame.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();
