/* Embed page: copy buttons for the snippets and the theme switch of the live preview. */
(() => {
  "use strict";
  const status = document.getElementById("copy-status"); // announced: "Copied" is not only seen
  const flash = (button, text) => {
    button.textContent = text;
    if (status) status.textContent = text;
    setTimeout(() => {
      button.textContent = button.dataset.label;
      if (status) status.textContent = "";
    }, 2000);
  };

  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    if (!source) continue;
    button.dataset.label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent);
        flash(button, button.dataset.done || "Copied");
      } catch {
        // No clipboard (an http page, or permission refused): select the text for Ctrl/Cmd-C.
        getSelection().selectAllChildren(source);
        flash(button, button.dataset.manual || "Selected: press Ctrl C");
      }
    });
  }

  const stages = document.querySelectorAll("[data-stage]");
  for (const input of document.querySelectorAll("input[name=preview-theme]")) {
    input.addEventListener("change", () => {
      for (const stage of stages) {
        stage.dataset.theme = input.value;
        for (const widget of stage.querySelectorAll("career-advisor")) {
          widget.setAttribute("theme", input.value); // "auto" follows the system; absent is light
        }
      }
    });
  }
})();
